"""Kupon Desktop: the desktop campaign manager for the Kupon.mobi messaging platform."""

__version__ = "0.1.0"
APP_NAME = "Kupon Desktop"
ORG_NAME = "Kupon"
ORG_DOMAIN = "kupon.mobi"

__all__ = ["APP_NAME", "ORG_DOMAIN", "ORG_NAME", "__version__"]
