"""Anonymised quarterly figures: the report tables and their disclosure control."""
