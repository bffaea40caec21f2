"""Qt-free read models and shared rules that the GUI and the commands both use."""
