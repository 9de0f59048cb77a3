"""Screenshot upload: every bad input is refused before anything is stored; order, delete, retry."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import select

from techledger.enums import Role, ScreenshotStatus
from techledger.models import Screenshot
from techledger.services import screenshots, workflows
from techledger.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests import screenshot_images as images
from tests.factories import org_with_roles
from tests.workflow_fixtures import enqueued, store  # noqa: F401  (fixtures)


@pytest.fixture
def setup(session, store):  # noqa: ANN001, ANN201, F811
    org, actors = org_with_roles(session)
    wf = workflows.create_workflow(
        session=session, actor=actors[Role.MEMBER], name="Create lead", application_name="Acme"
    )
    return org, actors, wf


def _rows(session, workflow_id):  # noqa: ANN001, ANN202
    return session.exec(
        select(Screenshot)
        .where(Screenshot.workflow_id == workflow_id)
        .order_by(Screenshot.position)
    ).all()


def _upload(session, actor, wf, name, data):  # noqa: ANN001, ANN202
    return screenshots.upload_screenshot(
        session=session, actor=actor, workflow_id=wf.id, filename=name, data=data
    )


BAD_INPUTS = [
    ("notes.png", images.text_renamed_png, "not a readable image"),
    ("cut.png", images.truncated_png, "truncated or corrupt"),
    ("bomb.png", images.bomb_png, "screenshots may be at most 10,000 px on each side"),
    ("narrow.png", images.small_png, "99 x 300 px; screenshots must be at least 100 px"),
    ("huge.png", images.eleven_mb_png, "at most 10 MB"),
    ("empty.png", lambda: b"", "The file is empty"),
    ("anim.gif", images.gif, "GIF images are not accepted; upload a PNG, JPEG or WebP"),
    ("logo.svg", images.svg, "SVG files are not accepted"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_a_bad_file_is_refused_and_leaves_nothing(session, store, setup, name, make, message):  # noqa: ANN001, F811
    org, actors, wf = setup
    good = _upload(session, actors[Role.MEMBER], wf, "good.png", images.form_png())
    before = store.list(f"orgs/{org.id}/")
    with pytest.raises(screenshots.RejectedScreenshot, match=message):
        _upload(session, actors[Role.MEMBER], wf, name, make())
    assert [s.id for s in _rows(session, wf.id)] == [good.id]
    assert store.list(f"orgs/{org.id}/") == before
    assert len(before) == 2  # the good file's original and thumbnail are untouched


def test_a_good_png_is_stored_as_the_spec_says(session, store, setup):  # noqa: ANN001, F811
    org, actors, wf = setup
    data = images.form_png()
    shot = _upload(session, actors[Role.MEMBER], wf, "C:\\shots\\step1.png", data)
    assert shot.status == ScreenshotStatus.UPLOADED
    assert shot.dimensions == {"width": 480, "height": 320, "aspectRatio": 1.5}
    assert shot.file_size == len(data)
    assert shot.content_sha256 == hashlib.sha256(data).hexdigest()
    assert shot.original_filename == "step1.png"
    assert shot.vision_job_id and shot.position == 0
    prefix = f"orgs/{org.id}/screenshots/{shot.id}/"
    assert store.list(prefix) == [prefix + "original.png", prefix + "thumbnail.png"]
    assert store.get(store.key_for_url(shot.original_url)) == data
    thumb = images.Image.open(images.io.BytesIO(store.get(prefix + "thumbnail.png")))
    assert max(thumb.size) == 400 or thumb.size == (480, 320)


def test_cmyk_jpeg_and_webp_are_accepted(session, store, setup):  # noqa: ANN001, F811
    _, actors, wf = setup
    cmyk = _upload(session, actors[Role.MEMBER], wf, "print.jpg", images.cmyk_jpeg())
    assert cmyk.dimensions["width"] == 480 and cmyk.original_url.endswith("original.jpg")
    web = _upload(session, actors[Role.MEMBER], wf, "shot.webp", images.webp())
    assert web.original_url.endswith("original.webp") and web.position == 1


def test_exif_rotation_is_applied_to_the_dimensions(session, store, setup):  # noqa: ANN001, F811
    _, actors, wf = setup
    shot = _upload(session, actors[Role.MEMBER], wf, "phone.jpg", images.exif_rotated_jpeg())
    assert shot.dimensions == {"width": 320, "height": 480, "aspectRatio": 0.667}


def test_fifty_files_at_once_keep_their_order(session, store, setup):  # noqa: ANN001, F811
    org, actors, wf = setup
    shots = [
        _upload(session, actors[Role.MEMBER], wf, f"step{i:02d}.png", images.form_png(seed=i + 1))
        for i in range(50)
    ]
    assert [s.position for s in _rows(session, wf.id)] == list(range(50))
    assert [s.original_filename for s in _rows(session, wf.id)] == [
        f"step{i:02d}.png" for i in range(50)
    ]
    assert len(store.list(f"orgs/{org.id}/")) == 100
    assert len({s.vision_job_id for s in shots}) == 50


def test_the_same_file_twice_in_one_workflow_is_refused(session, store, setup):  # noqa: ANN001, F811
    org, actors, wf = setup
    data = images.form_png()
    _upload(session, actors[Role.MEMBER], wf, "a.png", data)
    with pytest.raises(
        screenshots.RejectedScreenshot, match=r"already in the workflow as screenshot 1 \(a.png\)"
    ):
        _upload(session, actors[Role.MEMBER], wf, "copy of a.png", data)
    assert len(_rows(session, wf.id)) == 1
    assert len(store.list(f"orgs/{org.id}/")) == 2
    # Another workflow may hold the same screen.
    other = workflows.create_workflow(
        session=session, actor=actors[Role.MEMBER], name="Edit lead", application_name="Acme"
    )
    _upload(session, actors[Role.MEMBER], other, "a.png", data)


def test_a_failing_insert_removes_the_stored_blobs(session, store, setup, monkeypatch):  # noqa: ANN001, F811
    org, actors, wf = setup

    def broken_position(*_args):  # noqa: ANN002, ANN202
        raise RuntimeError("database went away")

    monkeypatch.setattr(screenshots, "_next_position", broken_position)
    with pytest.raises(RuntimeError):
        _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    assert store.list(f"orgs/{org.id}/") == []
    assert _rows(session, wf.id) == []


def test_viewers_cannot_upload_and_closed_workflows_take_no_screenshots(session, store, setup):  # noqa: ANN001, F811
    org, actors, wf = setup
    with pytest.raises(PermissionDenied):
        _upload(session, actors[Role.VIEWER], wf, "a.png", images.form_png())
    workflows.archive_workflow(session=session, actor=actors[Role.MEMBER], workflow_id=wf.id)
    with pytest.raises(Conflict, match="reopen it"):
        _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    assert store.list(f"orgs/{org.id}/") == []


def test_reorder_move_and_delete(session, store, setup, enqueued):  # noqa: ANN001, F811
    org, actors, wf = setup
    member = actors[Role.MEMBER]
    a, b, c = (
        _upload(session, member, wf, f"{n}.png", images.form_png(seed=i + 1))
        for i, n in enumerate("abc")
    )
    screenshots.reorder_screenshots(
        session=session, actor=member, workflow_id=wf.id, ordered_ids=[c.id, a.id, b.id]
    )
    assert [s.id for s in _rows(session, wf.id)] == [c.id, a.id, b.id]
    with pytest.raises(InvalidInput, match="every screenshot of this workflow exactly once"):
        screenshots.reorder_screenshots(
            session=session, actor=member, workflow_id=wf.id, ordered_ids=[c.id, a.id]
        )
    screenshots.move_screenshot(session=session, actor=member, screenshot_id=b.id, offset=-1)
    assert [
        s["id"]
        for s in screenshots.list_screenshots(
            session=session, actor=actors[Role.VIEWER], workflow_id=wf.id
        )
    ] == [c.id, b.id, a.id]
    # A drop puts one screenshot at a place; a place past either end means that end.
    screenshots.place_screenshot(session=session, actor=member, screenshot_id=c.id, position=2)
    assert [s.id for s in _rows(session, wf.id)] == [b.id, a.id, c.id]
    screenshots.place_screenshot(session=session, actor=member, screenshot_id=a.id, position=-5)
    assert [s.id for s in _rows(session, wf.id)] == [a.id, b.id, c.id]
    screenshots.place_screenshot(session=session, actor=member, screenshot_id=a.id, position=99)
    assert [(s.id, s.position) for s in _rows(session, wf.id)] == [(b.id, 0), (c.id, 1), (a.id, 2)]
    screenshots.move_screenshot(session=session, actor=member, screenshot_id=c.id, offset=-7)
    assert [s.id for s in _rows(session, wf.id)] == [c.id, b.id, a.id]
    with pytest.raises(NotFound):
        screenshots.place_screenshot(session=session, actor=member, screenshot_id="", position=0)
    for unreadable in (None, "1", 1.5, True):  # a drop the browser could not describe
        with pytest.raises(InvalidInput, match="whole number"):
            screenshots.place_screenshot(
                session=session, actor=member, screenshot_id=a.id, position=unreadable
            )
    assert [s.id for s in _rows(session, wf.id)] == [c.id, b.id, a.id]
    with pytest.raises(PermissionDenied):
        screenshots.delete_screenshot(
            session=session, actor=actors[Role.VIEWER], screenshot_id=b.id
        )
    screenshots.delete_screenshot(session=session, actor=member, screenshot_id=b.id)
    rows = _rows(session, wf.id)
    assert [(s.id, s.position) for s in rows] == [(c.id, 0), (a.id, 1)]
    session.commit()  # blobs go once the deletion commits (a savepoint here)
    # ... and the analyses of the uploads were queued by that commit, with their job ids.
    assert sorted(e[1][0] for e in enqueued) == sorted([a.id, c.id, b.id])
    assert all(e[0] == "workers.tasks.analyze_screenshot" and e[1][1] == e[2] for e in enqueued)
    assert not any(f"/{b.id}/" in k for k in store.list(f"orgs/{org.id}/"))
    assert len(store.list(f"orgs/{org.id}/")) == 4


def test_screenshots_of_another_organization_are_not_found(session, store, setup):  # noqa: ANN001, F811
    _, actors, wf = setup
    shot = _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    _, strangers = org_with_roles(session)
    stranger = strangers[Role.OWNER]
    for call in (
        lambda: screenshots.list_screenshots(session=session, actor=stranger, workflow_id=wf.id),
        lambda: screenshots.list_elements(session=session, actor=stranger, screenshot_id=shot.id),
        lambda: screenshots.delete_screenshot(
            session=session, actor=stranger, screenshot_id=shot.id
        ),
        lambda: screenshots.retry_screenshot(
            session=session, actor=stranger, screenshot_id=shot.id
        ),
        lambda: screenshots.move_screenshot(
            session=session, actor=stranger, screenshot_id=shot.id, offset=1
        ),
        lambda: screenshots.place_screenshot(
            session=session, actor=stranger, screenshot_id=shot.id, position=0
        ),
        lambda: _upload(session, stranger, wf, "b.png", images.form_png(seed=3)),
    ):
        with pytest.raises(NotFound):
            call()


def test_retry_only_for_failed_screenshots(session, store, setup):  # noqa: ANN001, F811
    _, actors, wf = setup
    shot = _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    with pytest.raises(Conflict, match="Only a failed screenshot can be retried"):
        screenshots.retry_screenshot(
            session=session, actor=actors[Role.MEMBER], screenshot_id=shot.id
        )
    shot.status, shot.failure_reason, shot.analysis_attempts = ScreenshotStatus.FAILED, "boom", 3
    old_job = shot.vision_job_id
    session.add(shot)
    session.flush()
    screenshots.retry_screenshot(session=session, actor=actors[Role.MEMBER], screenshot_id=shot.id)
    assert shot.status == ScreenshotStatus.UPLOADED and shot.failure_reason is None
    assert shot.analysis_attempts == 0 and shot.vision_job_id != old_job


def test_an_unreachable_queue_does_not_undo_the_upload(session, store, setup, monkeypatch):  # noqa: ANN001, F811
    from techledger import jobs

    def down(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(jobs, "enqueue", down)
    _, actors, wf = setup
    shot = _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    session.commit()  # the failed enqueue is logged; recovery queues it later
    assert shot.status == ScreenshotStatus.UPLOADED and len(_rows(session, wf.id)) == 1


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER])
def test_each_role_gets_exactly_its_screenshot_rights(session, store, setup, role):  # noqa: ANN001, F811
    _, actors, wf = setup
    shot = _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    shot.status = ScreenshotStatus.FAILED
    session.add(shot)
    session.flush()
    actor = actors[role]
    # Everyone in the organization reads.
    assert [
        s["id"]
        for s in screenshots.list_screenshots(session=session, actor=actor, workflow_id=wf.id)
    ] == [shot.id]
    assert screenshots.list_elements(session=session, actor=actor, screenshot_id=shot.id) == []
    edits = [
        lambda: _upload(session, actor, wf, "b.png", images.form_png(seed=9)),
        lambda: screenshots.move_screenshot(
            session=session, actor=actor, screenshot_id=shot.id, offset=1
        ),
        lambda: screenshots.place_screenshot(
            session=session, actor=actor, screenshot_id=shot.id, position=0
        ),
        lambda: screenshots.retry_screenshot(session=session, actor=actor, screenshot_id=shot.id),
        lambda: screenshots.delete_screenshot(session=session, actor=actor, screenshot_id=shot.id),
    ]
    for edit in edits:
        if role == Role.VIEWER:
            with pytest.raises(PermissionDenied, match="Viewer"):
                edit()
        else:
            edit()


def test_an_expired_plan_stores_nothing(session, store, setup):  # noqa: ANN001, F811
    from techledger.enums import SubscriptionStatus
    from techledger.services.errors import LimitReached

    org, actors, wf = setup
    org.subscription_status = SubscriptionStatus.CANCELED
    session.add(org)
    session.flush()
    with pytest.raises(LimitReached, match="uploading and training need an active plan"):
        _upload(session, actors[Role.MEMBER], wf, "a.png", images.form_png())
    assert _rows(session, wf.id) == [] and store.list(f"orgs/{org.id}/") == []
