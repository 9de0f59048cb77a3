"""Reusable view functions; no database access here."""
