from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from techledger.models import LoginSession, User
from techledger.models.base import utcnow
from techledger.services import accounts
from techledger.services.errors import Conflict, InvalidInput
from tests.factories import PASSWORD, make_user


def test_sign_up_normalizes_email_and_hashes_password(session):
    user = accounts.sign_up(session=session, email="  Ada@Example.COM ", password=PASSWORD)
    assert user.email == "ada@example.com"
    signed = accounts.log_in(session=session, email="ada@example.com", password=PASSWORD)
    assert signed.user_id == user.id and len(signed.token) > 30
    row = session.exec(select(LoginSession)).first()
    assert row.token_hash != signed.token  # only the hash is stored


def test_duplicate_email_is_refused(session):
    make_user(session, email="dup@example.com")
    with pytest.raises(Conflict, match="already exists"):
        accounts.sign_up(session=session, email="DUP@example.com", password=PASSWORD)
    assert len(session.exec(select(User).where(User.email == "dup@example.com")).all()) == 1


@pytest.mark.parametrize("password", ["", "short", "x" * 201])
def test_password_rules(session, password):
    with pytest.raises(InvalidInput, match="password"):
        accounts.sign_up(session=session, email="p@example.com", password=password)


@pytest.mark.parametrize(
    "email", ["", "not-an-email", "a@b", "x" * 250 + "@example.com", "<script>@x.com"]
)
def test_email_rules(session, email):
    with pytest.raises(InvalidInput):
        accounts.sign_up(session=session, email=email, password=PASSWORD)


def test_name_length_boundary(session):
    assert accounts.sign_up(
        session=session, email="n1@example.com", password=PASSWORD, name="N" * 100
    )
    with pytest.raises(InvalidInput, match="100"):
        accounts.sign_up(session=session, email="n2@example.com", password=PASSWORD, name="N" * 101)


def test_unicode_and_html_names_are_stored_as_text(session):
    user = accounts.sign_up(
        session=session, email="u@example.com", password=PASSWORD, name="Zoë <b>Ünïcødé</b> 日本"
    )
    assert session.get(User, user.id).name == "Zoë <b>Ünïcødé</b> 日本"


def test_wrong_password_and_unknown_email_read_the_same(session):
    make_user(session, email="w@example.com")
    with pytest.raises(InvalidInput, match="Wrong email or password") as wrong:
        accounts.log_in(session=session, email="w@example.com", password="nope-nope-nope")
    with pytest.raises(InvalidInput, match="Wrong email or password") as unknown:
        accounts.log_in(session=session, email="nobody@example.com", password=PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_expired_session_is_refused(session):
    make_user(session, email="e@example.com")
    signed = accounts.log_in(session=session, email="e@example.com", password=PASSWORD)
    row = session.exec(select(LoginSession)).first()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.flush()
    with pytest.raises(accounts.NotAuthenticated, match="expired"):
        accounts.signed_in(session=session, token=signed.token)


def test_log_out_ends_the_session(session):
    make_user(session, email="o@example.com")
    signed = accounts.log_in(session=session, email="o@example.com", password=PASSWORD)
    accounts.log_out(session=session, token=signed.token)
    with pytest.raises(accounts.NotAuthenticated):
        accounts.signed_in(session=session, token=signed.token)
    with pytest.raises(accounts.NotAuthenticated):
        accounts.signed_in(session=session, token="forged-token")
