"""Both blob stores, the S3 one against a real S3 API server started by the test run."""

from __future__ import annotations

import os
import uuid

import pytest

from techledger.storage import BlobNotFound, LocalStore, S3Store


def _stores(tmp_path):  # noqa: ANN001, ANN202
    yield LocalStore(tmp_path / "files")
    endpoint = os.environ.get("TEST_S3_ENDPOINT_URL")
    if endpoint:
        yield S3Store(
            bucket=f"tl-{uuid.uuid4().hex[:12]}",
            prefix="tenant-files",
            endpoint_url=endpoint,
            access_key=os.environ.get("S3_ACCESS_KEY", "test"),
            secret_key=os.environ.get("S3_SECRET_KEY", "test"),
        )


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):  # noqa: ANN001, ANN201
    stores = {type(s).__name__: s for s in _stores(tmp_path)}
    name = "LocalStore" if request.param == "local" else "S3Store"
    if name not in stores:
        pytest.skip("no S3 endpoint (TEST_S3_ENDPOINT_URL) in this run")
    return stores[name]


def test_put_get_list_delete_round_trip(store):  # noqa: ANN001
    url = store.put("orgs/o1/screenshots/s1/original.png", b"\x89PNG data", "image/png")
    assert store.key_for_url(url) == "orgs/o1/screenshots/s1/original.png"
    assert store.get("orgs/o1/screenshots/s1/original.png") == b"\x89PNG data"
    store.put("orgs/o1/screenshots/s1/thumb.webp", b"thumb", "image/webp")
    store.put("orgs/o2/other.bin", b"x")
    assert store.list("orgs/o1/") == [
        "orgs/o1/screenshots/s1/original.png",
        "orgs/o1/screenshots/s1/thumb.webp",
    ]
    store.delete("orgs/o1/screenshots/s1/original.png")
    store.delete("orgs/o1/screenshots/s1/original.png")  # twice is fine
    assert not store.exists("orgs/o1/screenshots/s1/original.png")
    with pytest.raises(BlobNotFound):
        store.get("orgs/o1/screenshots/s1/original.png")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/path", "a//b", "a/../../b", ""])
def test_keys_cannot_escape_the_store(store, key):  # noqa: ANN001
    with pytest.raises(ValueError):
        store.put(key, b"x")
