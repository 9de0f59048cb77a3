"""Visual properties of an element: colours, font size and weight, corner radius, perceptual hash."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np


def hex_color(c: np.ndarray) -> str:
    """``#rrggbb`` of an RGB triple."""
    r, g, b = (int(round(float(x))) for x in c[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def visual_hash(rgb: np.ndarray, box: tuple[int, int, int, int]) -> str:
    """64-bit difference hash (dHash) of the region, as 16 hex digits; compare with ``visual_hash_distance``."""
    l, t, w, h = box
    crop = rgb[t : t + h, l : l + w]
    if crop.size == 0:
        return "0" * 16
    grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, (9, 8), interpolation=cv2.INTER_AREA).astype(np.int16)
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return f"{value:016x}"


def visual_hash_distance(a: str, b: str) -> int:
    """Hamming distance of two ``visual_hash`` strings: 0 = same look, 64 = opposite."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def element_properties(
    rgb: np.ndarray, box: tuple[int, int, int, int], text_height: float | None
) -> dict[str, Any]:
    """``DetectedElement.properties`` of one box."""
    l, t, w, h = box
    crop = rgb[t : t + h, l : l + w].reshape(-1, 3)
    if crop.size == 0:
        crop = np.zeros((1, 3), np.uint8)
    step = max(1, len(crop) // 4000)
    px = crop[::step]
    q = (px // 8).astype(np.int32)
    keys = q[:, 0] * 1024 + q[:, 1] * 32 + q[:, 2]
    vals, counts = np.unique(keys, return_counts=True)
    bg_key = vals[np.argmax(counts)]
    bg = px[keys == bg_key].mean(axis=0)
    dist = np.abs(px.astype(int) - bg.astype(int)).max(axis=1)
    ink = px[dist > 60]
    fg = np.median(ink, axis=0) if len(ink) else bg
    ink_frac = len(ink) / max(1, len(px))
    props: dict[str, Any] = {
        "color": hex_color(fg),
        "backgroundColor": hex_color(bg),
        "fontSize": int(round(text_height / 1.1)) if text_height else None,
        "fontWeight": "bold" if text_height and ink_frac > 0.22 else "normal",
        "borderRadius": _corner_radius(rgb, box),
        "visualHash": visual_hash(rgb, box),
    }
    return props


def _corner_radius(rgb: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """Pixels along the top-left diagonal that still have the outside colour."""
    l, t, w, h = box
    if w < 4 or h < 4 or l < 1 or t < 1:
        return 0
    outside = rgb[t - 1, l - 1].astype(int)
    n = 0
    for k in range(min(w, h) // 2):
        if np.abs(rgb[t + k, l + k].astype(int) - outside).max() > 24:
            break
        n += 1
    return int(round(n * 2.4))  # a circle of radius r leaves r(1 - 1/sqrt 2) pixels on the diagonal
