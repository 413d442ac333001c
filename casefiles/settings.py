"""Configuration: one settings object read from the environment (CASEFILES_*), safe defaults.
Policy data (rules, numbers) is not configuration and lives in ``policies/``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from casefiles.adapters.files import Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where data lives, which database, which profile."""

    model_config = SettingsConfigDict(env_prefix="CASEFILES_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    policies_dir: Path = PROJECT_ROOT / "policies"
    profile: str = "hengshan"
    # documents: the Jinja2 templates, and where the cut fonts are kept (DATA_DIR/fonts if unset)
    templates_dir: Path = PROJECT_ROOT / "templates"
    fonts_dir: Path | None = None
    # the web application (casefiles serve): the key that signs session cookies and API tokens
    # (generated once and kept in DATA_DIR/web_secret_key when not given), and page limits
    secret_key: str | None = None
    secure_cookies: bool = False
    upload_max_bytes: int = 100 * 1024 * 1024
    form_max_bytes: int = 1024 * 1024  # any other request body: forms, JSON
    due_soon_days: int = 7
    complaints_per_hour: int = 5
    # drills (演练, SPEC §5) are left out of lists, queues and deadlines unless a list asks; a
    # training installation that holds nothing but drills shows them everywhere
    show_drills: bool = False
    # refused attempts an hour on cases a person may not see, before 429 (issue 11)
    stranger_attempts_per_hour: int = 10
    # addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated, as
    # uvicorn's --forwarded-allow-ips); empty: forwarded headers are ignored
    trusted_proxies: str = ""
    # the history checkpoints (services/checkpoints.py): the Ed25519 private key, kept outside
    # the database (default DATA_DIR/checkpoint_key.pem), and where checkpoints are written
    # (default DATA_DIR/checkpoints; archive or print them)
    checkpoint_key: Path | None = None
    checkpoints_dir: Path | None = None
    # the outbox (issue 17): how long a run holds the items it took before another run may
    # take them back, the first wait after a failure (doubled with each), and the failures
    # after which an item is parked until someone retries it (`casefiles outbox retry`)
    # where evidence and rendered documents are kept (adapters/files.py): empty for the data
    # directory; file:///path for a folder every machine mounts; s3://bucket/prefix for an
    # S3-compatible server (at s3_endpoint_url when not AWS)
    store_url: str = ""
    s3_endpoint_url: str | None = None
    outbox_lease_seconds: int = 900
    outbox_backoff_seconds: int = 60
    outbox_max_attempts: int = 5

    @property
    def url(self) -> str:
        """The database URL: CASEFILES_DATABASE_URL, else SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'casefiles.db').resolve()}"

    def store(self) -> Store:
        """The file store these settings name."""
        from casefiles.adapters.files import open_store

        return open_store(self.store_url, self.data_dir, self.s3_endpoint_url)

    @property
    def font_cache(self) -> Path:
        """Where the documents' cut fonts are kept."""
        return self.fonts_dir or self.data_dir / "fonts"
