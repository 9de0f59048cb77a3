"""Blobs (screenshots, thumbnails, exports): a local folder by default, S3 when configured.

``STORAGE_URL=file:///path`` or ``STORAGE_URL=s3://bucket/prefix`` (``S3_ENDPOINT_URL`` for any
S3-compatible server). Knows nothing of the database; keys are plain strings.
"""

from __future__ import annotations

from functools import lru_cache

from techledger.settings import get_settings
from techledger.storage.base import BlobNotFound, BlobStore
from techledger.storage.local import LocalStore
from techledger.storage.s3 import S3Store


def store_for(url: str) -> BlobStore:
    """The store a ``file://`` or ``s3://`` URL names."""
    if url.startswith("s3://"):
        settings = get_settings()
        bucket, _, prefix = url[len("s3://") :].partition("/")
        return S3Store(
            bucket=bucket,
            prefix=prefix,
            endpoint_url=settings.s3_endpoint_url or None,
            access_key=settings.s3_access_key or None,
            secret_key=settings.s3_secret_key or None,
            region=settings.s3_region,
        )
    if url.startswith("file://"):
        return LocalStore(url[len("file://") :])
    raise ValueError(f"STORAGE_URL must start with file:// or s3:// (got {url!r})")


@lru_cache
def get_store() -> BlobStore:
    """The configured store."""
    return store_for(get_settings().storage_url)


__all__ = ["BlobNotFound", "BlobStore", "LocalStore", "S3Store", "get_store", "store_for"]
