"""The spec's validation rules, each with a message that says what is allowed."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from techledger.services.errors import InvalidInput

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def clean_text(value: str | None, *, field: str, label: str, min_len: int, max_len: int) -> str:
    """Strip ``value`` and require ``min_len..max_len`` characters."""
    text = (value or "").strip()
    if len(text) < min_len:
        if min_len <= 1:
            raise InvalidInput(f"{label} is required.", field=field)
        raise InvalidInput(f"{label} needs at least {min_len} characters.", field=field)
    if len(text) > max_len:
        raise InvalidInput(
            f"{label} is {len(text):,} characters long; at most {max_len:,} are allowed.",
            field=field,
        )
    return text


def optional_text(value: str | None, *, field: str, label: str, max_len: int) -> str | None:
    """Strip ``value``; empty becomes ``None``; at most ``max_len`` characters."""
    text = (value or "").strip()
    if not text:
        return None
    return clean_text(text, field=field, label=label, min_len=1, max_len=max_len)


def clean_email(value: str | None) -> str:
    """A valid email address, at most 255 characters, normalized to lower case."""
    raw = (value or "").strip()
    if not raw:
        raise InvalidInput("Email is required.", field="email")
    if len(raw) > 255:
        raise InvalidInput("Email is too long; at most 255 characters are allowed.", field="email")
    try:
        info = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"That email address is not valid: {exc}", field="email") from exc
    return info.normalized.lower()


def clean_person_name(value: str | None) -> str | None:
    """A person's name: optional, 1..100 characters."""
    return optional_text(value, field="name", label="Name", max_len=100)


def clean_org_name(value: str | None) -> str:
    """An organization's name: 1..100 characters."""
    return clean_text(value, field="name", label="Organization name", min_len=1, max_len=100)


def clean_slug(value: str | None) -> str:
    """A slug: 3..50 characters, lowercase letters, digits and single hyphens."""
    slug = (value or "").strip()
    if len(slug) < 3 or len(slug) > 50:
        raise InvalidInput(
            f"The URL name must be 3 to 50 characters long (it has {len(slug)}).", field="slug"
        )
    if not SLUG_RE.match(slug):
        raise InvalidInput(
            "The URL name may only use lowercase letters, digits and single hyphens "
            "between them, like 'acme-sales'.",
            field="slug",
        )
    return slug


def slugify(name: str) -> str:
    """A slug suggestion for an organization name."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-")
    return slug if len(slug) >= 3 else (slug + "-org")[:50].strip("-")


def clean_unit_interval(value: float, *, field: str, label: str) -> float:
    """A confidence between 0.0 and 1.0."""
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise InvalidInput(f"{label} must be between 0 and 1 (got {number}).", field=field)
    return number


def clean_priority(value: int) -> int:
    """A question priority between 1 and 10."""
    number = int(value)
    if not 1 <= number <= 10:
        raise InvalidInput(f"Priority must be between 1 and 10 (got {number}).", field="priority")
    return number


def clean_password(value: str | None) -> str:
    """A password of 8..200 characters."""
    password = value or ""
    if len(password) < 8:
        raise InvalidInput("The password needs at least 8 characters.", field="password")
    if len(password) > 200:
        raise InvalidInput("The password may be at most 200 characters.", field="password")
    return password
