"""Table models: one QAbstractTableModel per list."""
