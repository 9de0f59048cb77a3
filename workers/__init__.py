"""RQ entry: ``python -m workers`` runs a worker on the configured queue; tasks live in tasks.py."""
