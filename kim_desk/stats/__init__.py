"""Anonymised quarterly figures: the report tables, protected by the cell key method."""
