"""Check an uploaded screenshot before anything is stored, and make its thumbnail."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10_485_760
MIN_SIDE = 100
MAX_SIDE = 10_000
MAX_PIXELS = MAX_SIDE * MAX_SIDE
ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
ALLOWED_TEXT = "PNG, JPEG or WebP"


class InvalidScreenshot(ValueError):
    """The upload is not an acceptable screenshot; the message says what is wrong and what is allowed."""


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"


def load_screenshot(data: bytes) -> Image.Image:
    """Decode and validate an uploaded screenshot; returns an RGB (or RGBA) image, upright per EXIF."""
    size = len(data)
    if size == 0:
        raise InvalidScreenshot(f"The file is empty; upload a {ALLOWED_TEXT} screenshot.")
    if size > MAX_BYTES:
        raise InvalidScreenshot(f"The file is {_mb(size)}; screenshots may be at most 10 MB.")
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or head.startswith(b"<?xml") or b"<svg" in head:
        raise InvalidScreenshot(f"SVG files are not accepted; upload a {ALLOWED_TEXT} screenshot.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidScreenshot(
            f"The file is not a readable image; upload a {ALLOWED_TEXT} screenshot."
        ) from exc
    except Image.DecompressionBombError as exc:
        raise InvalidScreenshot(
            f"The image claims too many pixels; screenshots may be at most {MAX_SIDE:,} px on each side."
        ) from exc
    if fmt not in ALLOWED_FORMATS:
        raise InvalidScreenshot(
            f"{fmt or 'This'} images are not accepted; upload a {ALLOWED_TEXT} screenshot."
        )
    width, height = image.size  # from the header, before any pixel is decoded
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise InvalidScreenshot(
            f"The image is {width:,} x {height:,} px; screenshots may be at most {MAX_SIDE:,} px on each side."
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise InvalidScreenshot(
            f"The image is {width} x {height} px; screenshots must be at least {MIN_SIDE} px on each side."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidScreenshot(
            f"The image data is truncated or corrupt; upload a complete {ALLOWED_TEXT} screenshot."
        ) from exc
    image = ImageOps.exif_transpose(image)
    if image.mode in ("CMYK", "YCbCr", "LAB", "HSV", "I;16", "I", "F", "L", "LA", "P", "1"):
        image = image.convert(
            "RGBA" if image.mode in ("LA", "P") and "transparency" in image.info else "RGB"
        )
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    w2, h2 = image.size
    if w2 < MIN_SIDE or h2 < MIN_SIDE:
        raise InvalidScreenshot(
            f"The image is {w2} x {h2} px; screenshots must be at least {MIN_SIDE} px on each side."
        )
    return image


def make_thumbnail(image: Image.Image, max_side: int = 400, fmt: str = "PNG") -> bytes:
    """A copy scaled to fit ``max_side`` (never enlarged), encoded as PNG (default) or WebP."""
    thumb = image.copy()
    thumb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if fmt.upper() == "WEBP":
        thumb.save(buf, format="WEBP", quality=80)
    else:
        thumb.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
