"""What every blob store offers."""

from __future__ import annotations

import re
from typing import Protocol

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")


class BlobNotFound(KeyError):
    """No blob under that key."""


def check_key(key: str) -> str:
    """Keys are relative paths of safe characters, never climbing out of the store."""
    if not _KEY.match(key) or ".." in key.split("/") or "//" in key:
        raise ValueError(f"invalid storage key {key!r}")
    return key


class BlobStore(Protocol):
    """A flat namespace of bytes addressed by keys like ``orgs/ORG/screenshots/ID/original.png``."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Store ``data``; returns the blob's URL (``file://...`` or ``s3://...``)."""
        ...

    def get(self, key: str) -> bytes:
        """The blob's bytes, or ``BlobNotFound``."""
        ...

    def delete(self, key: str) -> None:
        """Remove the blob (no error if it is already gone)."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> list[str]:
        """Every key starting with ``prefix``."""
        ...

    def key_for_url(self, url: str) -> str:
        """The key of a URL this store returned from ``put``."""
        ...
