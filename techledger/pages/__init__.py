"""Reflex pages: layout and wiring only; no database access here."""
