"""Signed file links: members of the owning organization only; forged or expired -> not found."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from techledger.enums import Role
from techledger.services import accounts, file_links, screenshots, workflows
from techledger.services.errors import NotFound
from tests import screenshot_images as images
from tests.factories import PASSWORD, add_member, make_user, org_with_roles
from tests.workflow_fixtures import enqueued, store  # noqa: F401  (fixtures)


@pytest.fixture
def shot(session, store):  # noqa: ANN001, ANN201, F811
    org, actors = org_with_roles(session)
    wf = workflows.create_workflow(
        session=session, actor=actors[Role.MEMBER], name="Lead", application_name="Acme"
    )
    data = images.form_png()
    s = screenshots.upload_screenshot(
        session=session, actor=actors[Role.MEMBER], workflow_id=wf.id, filename="a.png", data=data
    )
    return org, s, data


def _signed(session, token, screenshot_id, variant="original", now=None):  # noqa: ANN001, ANN202
    path = file_links.link_maker(session=session, token=token, now=now)(screenshot_id, variant)
    return parse_qs(urlparse(path).query)["t"][0]


def _open(session, screenshot_id, variant, signature):  # noqa: ANN001, ANN202
    return file_links.open_file(
        session=session, screenshot_id=screenshot_id, variant=variant, signature=signature
    )


def test_a_viewer_of_the_organization_gets_the_file(session, shot):  # noqa: ANN001
    org, s, data = shot
    viewer = make_user(session)
    add_member(session, org, Role.VIEWER, viewer)
    token = accounts.log_in(session=session, email=viewer.email, password=PASSWORD).token
    signature = _signed(session, token, s.id)
    assert _open(session, s.id, "original", signature) == (data, "image/png")
    thumb, kind = _open(session, s.id, "thumbnail", _signed(session, token, s.id, "thumbnail"))
    assert kind == "image/png" and thumb.startswith(b"\x89PNG")
    # Stable within its window, so pages that refresh do not reload images.
    assert signature == _signed(session, token, s.id)
    with pytest.raises(NotFound):  # not analysed yet: no annotated copy
        _open(session, s.id, "annotated", _signed(session, token, s.id, "annotated"))


def test_strangers_forgeries_and_expired_links_get_not_found(session, shot):  # noqa: ANN001
    org, s, _ = shot
    member = make_user(session)
    add_member(session, org, Role.MEMBER, member)
    token = accounts.log_in(session=session, email=member.email, password=PASSWORD).token
    good = _signed(session, token, s.id)

    stranger = make_user(session)
    org_with_roles(session)
    stranger_token = accounts.log_in(session=session, email=stranger.email, password=PASSWORD).token
    other_shot_sig = _signed(session, stranger_token, s.id)
    cases = {
        "another organization's person": (s.id, "original", other_shot_sig),
        "forged": (s.id, "original", good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")),
        "empty": (s.id, "original", ""),
        "other variant": (s.id, "thumbnail", good),
        "other screenshot": ("c" + "0" * 24, "original", good),
        "expired": (s.id, "original", _signed(session, token, s.id, now=time.time() - 3600)),
    }
    for label, (sid, variant, signature) in cases.items():
        with pytest.raises(NotFound):
            _open(session, sid, variant, signature)
            pytest.fail(label)
    # Removed from the organization, or logged out: the link stops working.
    accounts.log_out(session=session, token=token)
    with pytest.raises(NotFound):
        _open(session, s.id, "original", good)


def test_unknown_variant_is_refused_when_signing(session, shot):  # noqa: ANN001
    _, s, _ = shot
    user = make_user(session)
    token = accounts.log_in(session=session, email=user.email, password=PASSWORD).token
    with pytest.raises(ValueError):
        file_links.link_maker(session=session, token=token)(s.id, "../../etc/passwd")
