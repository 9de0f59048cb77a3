"""react-arborist (virtualized tree with drag-and-drop, inline rename, keyboard), wrapped.

The React side lives in ``hierarchy_tree.jsx`` next to this file: it builds the nested tree
from the flat node list, applies legal drops and renames at once in the browser, and reports
them to the server, which validates, persists, and on refusal sends the tree again.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventHandler, no_args_event_spec, passthrough_event_spec

ARBORIST = "react-arborist@3.16.0"


class HierarchyTree(rx.Component):
    """The organization's tree: one row per node, only the visible rows rendered."""

    library = rx.asset("hierarchy_tree.jsx", shared=True).importable_path
    lib_dependencies: list[str] = [ARBORIST]  # noqa: RUF012
    tag = "HierarchyTree"

    # One list per node: [level depth, row id, parent's position in this list (-1 for a
    # System), name, application]; parents before children, siblings in order.
    rows: rx.Var[list[list]]
    # Bumped whenever the server sends the tree again; the browser drops its local copy.
    version: rx.Var[int]
    read_only: rx.Var[bool]
    search_term: rx.Var[str]
    # A node to open up to, scroll to and select once the tree holding it arrives.
    reveal_id: rx.Var[str]
    open_all: rx.Var[bool]
    # False while only the top levels were sent; the tree then asks for the rest.
    complete: rx.Var[bool]

    on_move_node: EventHandler[passthrough_event_spec(dict)]
    on_rename_node: EventHandler[passthrough_event_spec(dict)]
    on_select_node: EventHandler[passthrough_event_spec(dict)]
    on_delete_request: EventHandler[passthrough_event_spec(dict)]
    on_add_child: EventHandler[passthrough_event_spec(dict)]
    on_need_rest: EventHandler[no_args_event_spec]


hierarchy_tree = HierarchyTree.create
