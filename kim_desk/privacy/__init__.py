"""The rights of the people whose data the desk holds: export (Art. 15/20) and erasure (Art. 17)."""
