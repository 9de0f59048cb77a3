"""Every bad upload is refused with a message that says what is wrong and what is allowed."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from techledger.vision import InvalidScreenshot, load_screenshot, make_thumbnail


def _png(w: int = 200, h: int = 150, color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, format="PNG")
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _bomb_png(side: int = 50_000) -> bytes:
    """A tiny PNG whose header claims side x side pixels (1-bit greyscale)."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(64)) + comp.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    )


def test_accepts_png_and_keeps_size() -> None:
    img = load_screenshot(_png(320, 200))
    assert img.size == (320, 200) and img.mode == "RGB"


def test_text_file_renamed_png() -> None:
    with pytest.raises(InvalidScreenshot, match="not a readable image.*PNG, JPEG or WebP"):
        load_screenshot(b"hello, this is not an image\n" * 10)


def test_truncated_png() -> None:
    data = _png(400, 300)
    noisy = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(noisy, format="PNG")
    with pytest.raises(InvalidScreenshot, match="truncated or corrupt"):
        load_screenshot(noisy.getvalue()[: len(noisy.getvalue()) // 2])
    assert data


def test_decompression_bomb_refused_from_header() -> None:
    with pytest.raises(InvalidScreenshot, match="at most 10,000 px"):
        load_screenshot(_bomb_png())


def test_too_small() -> None:
    with pytest.raises(InvalidScreenshot, match=r"99 x 150 px.*at least 100 px"):
        load_screenshot(_png(99, 150))


def test_too_large_file() -> None:
    data = _png(200, 150) + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(InvalidScreenshot, match=r"11\.0 MB; screenshots may be at most 10 MB"):
        load_screenshot(data)


def test_empty_file() -> None:
    with pytest.raises(InvalidScreenshot, match="empty"):
        load_screenshot(b"")


def test_gif_refused() -> None:
    buf = io.BytesIO()
    Image.new("P", (200, 200)).save(buf, format="GIF")
    with pytest.raises(InvalidScreenshot, match="GIF images are not accepted.*PNG, JPEG or WebP"):
        load_screenshot(buf.getvalue())


def test_svg_refused() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"></svg>'
    with pytest.raises(InvalidScreenshot, match="SVG"):
        load_screenshot(svg)


def test_cmyk_jpeg_converted() -> None:
    buf = io.BytesIO()
    Image.new("CMYK", (200, 120), (0, 255, 255, 0)).save(buf, format="JPEG")
    img = load_screenshot(buf.getvalue())
    assert img.mode == "RGB"
    r, g, b = img.getpixel((100, 60))
    assert r > 200 and g < 80 and b < 80


def test_exif_rotation_applied() -> None:
    img = Image.new("RGB", (300, 120), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    out = load_screenshot(buf.getvalue())
    assert out.size == (120, 300)


def test_webp_accepted_and_thumbnail() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 600), (0, 0, 0)).save(buf, format="WEBP")
    img = load_screenshot(buf.getvalue())
    thumb = Image.open(io.BytesIO(make_thumbnail(img)))
    assert max(thumb.size) == 400 and thumb.format == "PNG"
    assert Image.open(io.BytesIO(make_thumbnail(img, fmt="WEBP"))).format == "WEBP"
