"""Configuration: one settings object read from the environment (CASEFILES_*), safe defaults.
Policy data (rules, numbers) is not configuration and lives in ``policies/``."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where data lives, which database, which profile."""

    model_config = SettingsConfigDict(env_prefix="CASEFILES_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    policies_dir: Path = PROJECT_ROOT / "policies"
    profile: str = "hengshan"

    @property
    def url(self) -> str:
        """The database URL: CASEFILES_DATABASE_URL, else SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casefiles.db').resolve()}"
