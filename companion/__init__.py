"""Campfire companion: the local model server behind the Campfire browser extension."""

__version__ = "0.1.0"
