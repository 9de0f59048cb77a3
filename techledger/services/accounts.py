"""Sign up, log in, log out, and the sessions that remember a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from techledger.models import Credential, LoginSession, OrganizationMember, User
from techledger.models.base import utcnow
from techledger.services.errors import Conflict, InvalidInput, ServiceError
from techledger.services.tokens import new_token, token_hash
from techledger.services.validation import clean_email, clean_password, clean_person_name
from techledger.settings import get_settings


def _make_hasher() -> PasswordHasher:
    # Tests trade hash strength for speed; every other environment uses argon2's defaults.
    if get_settings().environment == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


_hasher = _make_hasher()
# A hash to verify against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
WRONG_LOGIN = "Wrong email or password."


class NotAuthenticated(ServiceError):
    """No valid session: the person must log in (again)."""


@dataclass(frozen=True)
class SignedIn:
    """A login session as the UI needs it."""

    token: str
    user_id: str
    organization_id: str | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sign_up(*, session: Session, email: str, password: str, name: str | None = None) -> User:
    """Create a person with a password; the email must not be taken."""
    email = clean_email(email)
    password = clean_password(password)
    name = clean_person_name(name)
    taken = Conflict("An account with this email already exists; log in instead.", field="email")
    if session.exec(select(User.id).where(User.email == email)).first():
        raise taken
    user = User(email=email, name=name)
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
            session.add(Credential(user_id=user.id, password_hash=_hasher.hash(password)))
            session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same email won
        raise taken from exc
    return user


def log_in(*, session: Session, email: str, password: str) -> SignedIn:
    """Check the password and open a session; the token is shown only this once."""
    try:
        email = clean_email(email)
    except InvalidInput:
        raise InvalidInput(WRONG_LOGIN) from None
    row = session.exec(
        select(User, Credential)
        .join(Credential, Credential.user_id == User.id)
        .where(User.email == email)
    ).first()
    stored = row[1].password_hash if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise InvalidInput(WRONG_LOGIN) from None
    if row is None:
        raise InvalidInput(WRONG_LOGIN)
    user, credential = row
    if _hasher.check_needs_rehash(credential.password_hash):
        credential.password_hash = _hasher.hash(password)
        session.add(credential)
    return open_session(session=session, user_id=user.id)


def open_session(*, session: Session, user_id: str) -> SignedIn:
    """A new login session for ``user_id``, in the organization used last."""
    last = session.exec(
        select(LoginSession.organization_id)
        .where(LoginSession.user_id == user_id, LoginSession.organization_id.is_not(None))
        .order_by(LoginSession.last_seen_at.desc())
    ).first()
    if last is None:
        last = session.exec(
            select(OrganizationMember.organization_id)
            .where(OrganizationMember.user_id == user_id)
            .order_by(OrganizationMember.created_at)
        ).first()
    token = new_token()
    now = utcnow()
    session.add(
        LoginSession(
            user_id=user_id,
            token_hash=token_hash(token),
            organization_id=last,
            expires_at=now + timedelta(days=get_settings().session_days),
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return SignedIn(token=token, user_id=user_id, organization_id=last)


def _session_row(session: Session, token: str | None) -> LoginSession:
    if not token:
        raise NotAuthenticated("Please log in.")
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise NotAuthenticated("Please log in.")
    if _aware(row.expires_at) <= utcnow():
        raise NotAuthenticated("Your session has expired; please log in again.")
    return row


def signed_in(*, session: Session, token: str | None) -> SignedIn:
    """The person behind ``token``, or ``NotAuthenticated``."""
    row = _session_row(session, token)
    return SignedIn(token=token or "", user_id=row.user_id, organization_id=row.organization_id)


def set_current_organization(*, session: Session, token: str, organization_id: str) -> None:
    """Remember the organization a session works in (membership is checked by the caller)."""
    row = _session_row(session, token)
    row.organization_id = organization_id
    row.last_seen_at = utcnow()
    session.add(row)
    session.flush()


def log_out(*, session: Session, token: str | None) -> None:
    """End the session behind ``token`` (a no-op if it is already gone)."""
    if not token:
        return
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == token_hash(token))
    ).first()
    if row is not None:
        session.delete(row)
        session.flush()


def profile(*, session: Session, user_id: str) -> dict:
    """The person's own name and email."""
    user = session.get(User, user_id)
    if user is None:
        raise NotAuthenticated("Please log in.")
    return {"id": user.id, "email": user.email, "name": user.name or ""}
