"""Collision-resistant string ids in the spirit of the spec's ``cuid()``."""

from __future__ import annotations

import os
import secrets
import string
import threading
import time

_ALPHABET = string.digits + string.ascii_lowercase
_counter = int.from_bytes(os.urandom(2), "big")
_lock = threading.Lock()


def _base36(number: int, width: int) -> str:
    out = []
    for _ in range(width):
        number, rest = divmod(number, 36)
        out.append(_ALPHABET[rest])
    return "".join(reversed(out))


def new_id() -> str:
    """A 25-character, time-ordered, random id starting with ``c``."""
    global _counter
    with _lock:
        _counter = (_counter + 1) % (36**4)
        count = _counter
    millis = int(time.time() * 1000)
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "c" + _base36(millis, 8) + _base36(count, 4) + random_part
