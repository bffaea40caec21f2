"""The Qt GUI: the only part of KIM Desk that imports PySide6."""
