"""Step images of a guide: a crop of the screenshot around one element, the element highlighted.

Each image is stored beside its screenshot's original (``.../steps/<hash>.png``) and referenced from
the Markdown by a stable app URL, ``/api/step-images/<screenshot_id>/<hash>.png``. Browsers reach it
through a short-lived signed copy of that URL (``?exp=..&sig=..``); exports read the blob directly.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import posixpath
import re
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlmodel import Session, select

from techledger.models import Screenshot, Workflow
from techledger.settings import get_settings
from techledger.storage import BlobNotFound, get_store

STYLE = "v1"  # part of every image's hash: change it when the look changes
PAD = 56  # pixels of context around the element
MIN_W, MIN_H = 480, 260  # the smallest crop, so a tiny checkbox still shows where it is
MAX_W = 720  # wider crops are scaled down to this width
HIGHLIGHT = (229, 72, 77)  # the app's red-9
DIM = 0.38  # how much the surroundings fade towards white

URL_PREFIX = "/api/step-images/"
STEP_IMAGE_URL = re.compile(r"/api/step-images/([A-Za-z0-9_-]{1,32})/([0-9a-f]{16})\.png")
LINK_SECONDS = 2 * 3600


@dataclass(frozen=True)
class StepImageRequest:
    """One image to make: which screenshot, which box (in the screenshot's pixels)."""

    screenshot_id: str
    original_key: str
    box: tuple[int, int, int, int]  # left, top, width, height

    @property
    def name(self) -> str:
        raw = f"{STYLE}|{self.original_key}|{','.join(map(str, self.box))}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    @property
    def key(self) -> str:
        return step_image_key(self.original_key, self.name)

    @property
    def url(self) -> str:
        return f"{URL_PREFIX}{self.screenshot_id}/{self.name}.png"


def step_image_key(original_key: str, name: str) -> str:
    """Where a step image of the screenshot stored at ``original_key`` lives."""
    return f"{posixpath.dirname(original_key)}/steps/{name}.png"


def element_box(bounding_box: dict | None) -> tuple[int, int, int, int] | None:
    """``(left, top, width, height)`` of a spec ``boundingBox``, or None if it has no size."""
    if not bounding_box:
        return None
    try:
        left = int(round(float(bounding_box.get("left", 0))))
        top = int(round(float(bounding_box.get("top", 0))))
        width = int(round(float(bounding_box.get("width", 0))))
        height = int(round(float(bounding_box.get("height", 0))))
    except (TypeError, ValueError):
        return None
    if width <= 0 or height <= 0:
        return None
    return max(0, left), max(0, top), width, height


def crop_region(box: tuple[int, int, int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The part of a ``size`` image to show for ``box``: padded, at least MIN_W x MIN_H, inside."""
    img_w, img_h = size
    left, top, width, height = box
    x0, y0 = left - PAD, top - PAD
    x1, y1 = left + width + PAD, top + height + PAD
    if x1 - x0 < MIN_W:
        grow = MIN_W - (x1 - x0)
        x0, x1 = x0 - grow // 2, x1 + grow - grow // 2
    if y1 - y0 < MIN_H:
        grow = MIN_H - (y1 - y0)
        y0, y1 = y0 - grow // 2, y1 + grow - grow // 2
    if x0 < 0:
        x1, x0 = min(img_w, x1 - x0), 0
    if y0 < 0:
        y1, y0 = min(img_h, y1 - y0), 0
    if x1 > img_w:
        x0, x1 = max(0, x0 - (x1 - img_w)), img_w
    if y1 > img_h:
        y0, y1 = max(0, y0 - (y1 - img_h)), img_h
    return x0, y0, x1, y1


def render_step_image(original: Image.Image, box: tuple[int, int, int, int]) -> bytes:
    """A PNG of the region around ``box``, the surroundings faded and the element outlined."""
    x0, y0, x1, y1 = crop_region(box, original.size)
    crop = original.crop((x0, y0, x1, y1))
    left, top, width, height = box
    ex0, ey0 = max(0, left - x0), max(0, top - y0)
    ex1, ey1 = min(x1 - x0, left + width - x0), min(y1 - y0, top + height - y0)
    faded = Image.blend(crop, Image.new("RGB", crop.size, (255, 255, 255)), DIM)
    if ex1 > ex0 and ey1 > ey0:
        faded.paste(crop.crop((ex0, ey0, ex1, ey1)), (ex0, ey0))
    draw = ImageDraw.Draw(faded)
    draw.rounded_rectangle(
        (ex0 - 4, ey0 - 4, ex1 + 3, ey1 + 3), radius=6, outline=HIGHLIGHT, width=3
    )
    if faded.width > MAX_W:
        faded = faded.resize(
            (MAX_W, max(1, round(faded.height * MAX_W / faded.width))), Image.Resampling.BILINEAR
        )
    out = io.BytesIO()
    faded.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def ensure_step_images(requests: Iterable[StepImageRequest]) -> int:
    """Make and store every image not stored yet (stored ones are reused, so regenerating is
    cheap); each original is decoded once. Returns how many were made."""
    store = get_store()
    missing: dict[str, list[StepImageRequest]] = {}
    seen: set[str] = set()
    for request in requests:
        if request.key in seen:
            continue
        seen.add(request.key)
        if not store.exists(request.key):
            missing.setdefault(request.original_key, []).append(request)
    if not missing:
        return 0
    workers = max(1, min(4, os.cpu_count() or 1, len(missing)))
    if workers == 1:
        return sum(_render_screenshot(store, key, todo) for key, todo in missing.items())
    # Pillow lets go of the GIL while decoding, cropping and encoding: screens run side by side.
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="step-images") as pool:
        return sum(pool.map(lambda item: _render_screenshot(store, *item), missing.items()))


def _render_screenshot(store, original_key: str, todo: list[StepImageRequest]) -> int:  # noqa: ANN001
    try:
        data = store.get(original_key)
    except BlobNotFound:
        return 0  # the steps keep their text; exports show no image for them
    with Image.open(io.BytesIO(data)) as opened:
        original = opened.convert("RGB")
    for request in todo:
        store.put(request.key, render_step_image(original, request.box), "image/png")
    return len(todo)


# ---------------------------------------------------------------------- links
def _signature(path: str, expires: int) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"{path}|{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def sign_path(path: str, *, seconds: int = LINK_SECONDS, now: float | None = None) -> str:
    """``path`` with a signature valid for at least ``seconds`` (rounded up to the hour, so the
    same link is handed out for an hour and browsers keep their cached copy)."""
    moment = int(now if now is not None else time.time())
    expires = ((moment + seconds) // 3600 + 1) * 3600
    return f"{path}?exp={expires}&sig={_signature(path, expires)}"


def check_signature(path: str, expires: str | None, signature: str | None) -> bool:
    """Whether ``path?exp=..&sig=..`` was signed by this app and has not expired."""
    try:
        moment = int(expires or "")
    except ValueError:
        return False
    if moment < time.time() or not signature:
        return False
    return hmac.compare_digest(_signature(path, moment), signature)


def sign_step_images(markdown: str, *, base_url: str = "") -> str:
    """``markdown`` with every stable step-image URL replaced by a signed, absolute one."""

    def _sign(match: re.Match[str]) -> str:
        return base_url.rstrip("/") + sign_path(match.group(0))

    return STEP_IMAGE_URL.sub(_sign, markdown)


def step_image_urls(markdown: str) -> list[tuple[str, str]]:
    """``(screenshot_id, name)`` of every step image the Markdown shows, in order, once each."""
    seen: dict[tuple[str, str], None] = {}
    for match in STEP_IMAGE_URL.finditer(markdown):
        seen.setdefault((match.group(1), match.group(2)), None)
    return list(seen)


def load_step_images(
    session: Session, organization_id: str, markdown: str
) -> dict[str, tuple[bytes, str]]:
    """The bytes of every step image in ``markdown`` that belongs to ``organization_id``, by
    stable URL, each with a short file name. Images of other organizations are never read."""
    wanted = step_image_urls(markdown)
    if not wanted:
        return {}
    ids = {sid for sid, _ in wanted}
    rows = session.exec(
        select(Screenshot.id, Screenshot.original_url)
        .join(Workflow, Workflow.id == Screenshot.workflow_id)
        .where(Screenshot.id.in_(ids), Workflow.organization_id == organization_id)
    ).all()
    store = get_store()
    originals = {}
    for sid, url in rows:
        try:
            originals[sid] = store.key_for_url(url)
        except ValueError:
            continue
    found: dict[str, tuple[bytes, str]] = {}
    for index, (sid, name) in enumerate(wanted, start=1):
        if sid not in originals:
            continue
        try:
            data = store.get(step_image_key(originals[sid], name))
        except BlobNotFound:
            continue
        found[f"{URL_PREFIX}{sid}/{name}.png"] = (data, f"step-{index:03d}-{name[:8]}.png")
    return found


def read_step_image(session: Session, screenshot_id: str, name: str) -> bytes | None:
    """One stored step image (for the signed image route), or None."""
    if not re.fullmatch(r"[0-9a-f]{16}", name):
        return None
    screenshot = session.get(Screenshot, screenshot_id)
    if screenshot is None:
        return None
    store = get_store()
    try:
        return store.get(step_image_key(store.key_for_url(screenshot.original_url), name))
    except (BlobNotFound, ValueError):
        return None
