"""Attunement: private assessment, couple insight and repair practices for couples."""

__version__ = "0.1.0"
