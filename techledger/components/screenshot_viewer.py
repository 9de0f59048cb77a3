"""A screenshot with its detected elements boxed: one ``<svg viewBox>`` over the image."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex_base.vars import VarData
from reflex_base.vars.base import Var


def backend_url(path: Var) -> Var:
    """An API path (``/api/...``) on the backend's origin, as the browser must request it."""
    return Var(
        _js_expr=f"(getBackendURL(env.UPLOAD).origin + {path!s})",
        _var_type=str,
        _var_data=VarData.merge(
            path._get_all_var_data(),
            VarData(
                imports={
                    "$/utils/state": "getBackendURL",
                    "$/env.json": rx.ImportVar(tag="env", is_default=True),
                }
            ),
        ),
    )


def element_boxes(
    *,
    image_url: Var,
    view_box: Var,
    elements: Var,
    on_hover: Callable,
    on_leave: rx.EventHandler,
    show_boxes: Var,
    alt: Var,
) -> rx.Component:
    """The image, and above it one rect per element, colored by type; it scales with the image."""

    def rect(element: rx.Var) -> rx.Component:
        return rx.el.svg.rect(
            x=element["left"].to(int),
            y=element["top"].to(int),
            width=element["width"].to(int),
            height=element["height"].to(int),
            class_name="tl-element-box",
            style={
                "stroke": element["color"].to(str),
                "fill": element["color"].to(str),
                "fillOpacity": "0.06",
                "strokeWidth": "2",
                "vectorEffect": "non-scaling-stroke",
                "cursor": "pointer",
            },
            custom_attrs={
                "data-type": element["element_type"].to(str),
                "data-text": element["text"].to(str),
            },
            on_mouse_enter=on_hover(element),
            on_mouse_leave=on_leave,
            id="element-" + element["index"].to_string(),
        )

    return rx.box(
        rx.el.img(
            src=image_url,
            alt=alt,
            style={"display": "block", "width": "100%", "height": "auto"},
            id="viewer-image",
        ),
        rx.cond(
            show_boxes,
            rx.el.svg(
                rx.foreach(elements, rect),
                view_box=view_box,
                preserve_aspect_ratio="none",
                xmlns="http://www.w3.org/2000/svg",
                style={
                    "position": "absolute",
                    "inset": "0",
                    "width": "100%",
                    "height": "100%",
                },
                id="viewer-boxes",
            ),
        ),
        position="relative",
        width="100%",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="8px",
        overflow="hidden",
        background=rx.color("gray", 2),
    )
