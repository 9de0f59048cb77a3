"""Blobs as files under one folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from techledger.storage.base import BlobNotFound, check_key


class LocalStore:
    """A folder on this machine; writes are atomic (temp file, then rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def url(self, key: str) -> str:
        return f"file://{self._path(key)}"

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return self.url(key)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> list[str]:
        if not self.root.exists():
            return []
        keys = (
            str(p.relative_to(self.root))
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".upload-")
        )
        return sorted(k for k in keys if k.startswith(prefix))

    def key_for_url(self, url: str) -> str:
        prefix = f"file://{self.root}/"
        if not url.startswith(prefix):
            raise ValueError(f"{url!r} is not in this store")
        return check_key(url[len(prefix) :])
