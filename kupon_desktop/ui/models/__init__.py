"""Qt item models over compact column data (never one QStandardItem per cell)."""
