"""Reflex states: thin, one per feature; they call services and hold view data."""
