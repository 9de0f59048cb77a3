"""A grid of cards reordered by drag-and-drop (``sortable_grid.jsx`` beside this file).

No library: plain HTML drag-and-drop delegated from the grid. Each card carries
``data-sort-id`` and ``draggable``; a drop calls ``on_reorder`` with ``{"id", "position"}``.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventHandler, passthrough_event_spec


class SortableGrid(rx.Component):
    """Cards in order; dragging one onto another's place reports the new place."""

    library = rx.asset("sortable_grid.jsx", shared=True).importable_path
    tag = "SortableGrid"

    # When true (a reader), nothing can be dragged.
    disabled: rx.Var[bool]

    on_reorder: EventHandler[passthrough_event_spec(dict)]


sortable_grid = SortableGrid.create
