"""TechLedger: living documentation from the screens of business software."""
