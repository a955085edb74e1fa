"""Runtime resources (translations, icons), installed as ``kupon_desktop.resources``."""
