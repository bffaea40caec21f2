"""KIM Desk: offline-first desktop assistant for migration and integration advice desks."""

__version__ = "0.1.0"
