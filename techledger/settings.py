"""Configuration from the environment, with defaults that need no configuration at all."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / ".data"  # hidden: Reflex dev mode does not watch it
_DEV_SECRET = "dev-secret-change-me"


class Settings(BaseSettings):
    """Every knob of TechLedger; each one is optional."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = Field(default="development", description="development | test | production")
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    redis_url: str = ""
    storage_url: str = ""
    s3_endpoint_url: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_region: str = "us-east-1"
    vision_engine: str = "local"
    google_application_credentials: str = ""
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_price_starter: str = ""
    stripe_price_professional: str = ""
    stripe_price_enterprise: str = ""
    secret_key: str = _DEV_SECRET
    session_days: int = 14
    trial_days: int = 14
    public_url: str = "http://localhost:3000"
    job_queue: str = "techledger"

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'techledger.db'}"
        if not self.storage_url:
            self.storage_url = f"file://{self.data_dir / 'files'}"
        if self.environment == "production" and self.secret_key == _DEV_SECRET:
            raise ValueError("SECRET_KEY must be set to a long random value in production")
        if self.secret_key == _DEV_SECRET and self.environment == "test":
            self.secret_key = secrets.token_urlsafe(32)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def stripe_enabled(self) -> bool:
        return bool(self.stripe_secret_key)


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
