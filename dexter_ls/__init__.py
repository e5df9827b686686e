"""Dexter LS: explains the diagnostics an editor shows, with models and an offline fallback."""

__version__ = "0.1.0"
