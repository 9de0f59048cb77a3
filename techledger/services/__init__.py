"""Domain logic: plain functions taking ``session=`` and ``actor=``; every tenant and role check."""
