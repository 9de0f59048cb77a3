"""React libraries wrapped as Reflex components, each pinned to one version."""
