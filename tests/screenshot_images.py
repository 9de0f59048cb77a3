"""Screenshots for tests, drawn with Pillow: a small form, and every kind of bad upload."""

from __future__ import annotations

import io
import os
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont


def _font(size: int = 15) -> ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def form_image(title: str = "New lead", button: str = "Submit", seed: int = 0) -> Image.Image:
    """A small web form: a title, two labelled inputs and a button."""
    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    font = _font()
    draw.text((30, 12), title, fill="#111", font=_font(18))
    draw.text((30, 50), "Email address", fill="#222", font=font)
    draw.rectangle((30, 74, 330, 106), outline="#888", width=1)
    draw.text((40, 82), "name@company.com", fill="#999", font=font)
    draw.text((30, 122), "Company", fill="#222", font=font)
    draw.rectangle((30, 146, 330, 178), outline="#888", width=1)
    draw.rounded_rectangle((30, 220, 150, 258), radius=6, fill="#1f6feb")
    draw.text((60, 229), button, fill="white", font=font)
    if seed:
        draw.point((479, 319 - seed % 300), fill=(seed % 256, 0, 0))
    return image


def encode(image: Image.Image, fmt: str = "PNG", **params) -> bytes:  # noqa: ANN003
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def form_png(seed: int = 0, **kwargs) -> bytes:  # noqa: ANN003
    """A valid PNG screenshot; a different ``seed`` gives different bytes."""
    return encode(form_image(seed=seed, **kwargs))


def text_renamed_png() -> bytes:
    return b"These are meeting notes, not a picture.\n" * 20


def truncated_png() -> bytes:
    data = form_png()
    return data[: len(data) // 2]


def bomb_png(side: int = 50_000) -> bytes:
    """A tiny PNG whose header claims ``side`` x ``side`` pixels."""
    raw = b"".join(b"\x00" + b"\x00" * 13 for _ in range(100))  # 100 rows of 100 px, 1 bit
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def small_png(width: int = 99, height: int = 300) -> bytes:
    return encode(Image.new("RGB", (width, height), "white"))


def eleven_mb_png() -> bytes:
    """Random pixels do not compress: a PNG of about 11.5 MB."""
    image = Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3))
    data = encode(image, compress_level=0)
    assert len(data) > 11 * 1024 * 1024
    return data


def gif() -> bytes:
    return encode(form_image().convert("P"), "GIF")


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
        b'<rect width="400" height="300" fill="blue"/></svg>'
    )


def cmyk_jpeg() -> bytes:
    return encode(form_image().convert("CMYK"), "JPEG", quality=90)


def exif_rotated_jpeg() -> bytes:
    """A 480 x 320 JPEG whose EXIF says 'rotate 90°': it is shown 320 x 480."""
    image = form_image()
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(image, "JPEG", exif=exif.tobytes(), quality=90)


def webp() -> bytes:
    return encode(form_image(), "WEBP", quality=80)
