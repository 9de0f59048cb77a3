"""Pictures for people: element boxes drawn on a screenshot, and a highlighted crop for document steps."""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image, ImageDraw

from techledger.enums import ElementType
from techledger.vision.engine import Element

TYPE_COLORS: dict[ElementType, str] = {
    ElementType.BUTTON: "#e03131",
    ElementType.INPUT: "#1971c2",
    ElementType.DROPDOWN: "#7048e8",
    ElementType.CHECKBOX: "#f08c00",
    ElementType.RADIO: "#c2255c",
    ElementType.TABLE: "#2f9e44",
    ElementType.LABEL: "#0c8599",
    ElementType.LINK: "#9c36b5",
    ElementType.MENU: "#495057",
    ElementType.DIALOG: "#212529",
    ElementType.UNKNOWN: "#868e96",
}


def _xyxy(box: dict) -> tuple[int, int, int, int]:
    return (
        int(box["left"]),
        int(box["top"]),
        int(box["left"] + box["width"]),
        int(box["top"] + box["height"]),
    )


def annotate(image: Image.Image, elements: Iterable[Element], width: int = 2) -> Image.Image:
    """A copy of ``image`` with each element's box outlined in its type's colour."""
    out = image.convert("RGB").copy()
    draw = ImageDraw.Draw(out)
    for e in elements:
        draw.rectangle(
            _xyxy(e.bounding_box), outline=TYPE_COLORS.get(e.element_type, "#868e96"), width=width
        )
    return out


def crop_with_highlight(
    image: Image.Image, box: dict, margin: int = 120, color: str = "#e03131", dim: float = 0.35
) -> Image.Image:
    """The area around ``box`` (plus ``margin`` px), with everything but the box dimmed and the box outlined."""
    img = image.convert("RGB")
    l, t, r, b = _xyxy(box)
    cl, ct = max(0, l - margin), max(0, t - margin)
    cr, cb = min(img.width, r + margin), min(img.height, b + margin)
    crop = img.crop((cl, ct, cr, cb))
    shade = Image.new("RGB", crop.size, (0, 0, 0))
    dimmed = Image.blend(crop, shade, dim)
    inner = (l - cl, t - ct, r - cl, b - ct)
    dimmed.paste(crop.crop(inner), inner[:2])
    ImageDraw.Draw(dimmed).rectangle(
        (inner[0] - 2, inner[1] - 2, inner[2] + 1, inner[3] + 1), outline=color, width=3
    )
    return dimmed
