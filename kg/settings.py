"""All settings in one place (environment variables or a .env file), read with pydantic-settings.

When NEO4J_URI is set every command uses that server (a real Neo4j 5 in production) and the
embedded ArcadeDB server is never started.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.reliability import ReliabilityWeights


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Production: an external Neo4j 5 server.
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(default=None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    # The console's user on that server: give it a role that can only read (Neo4j's `reader`). When unset,
    # the console uses the main credentials and relies on a READ session, which Neo4j enforces.
    neo4j_reader_user: str | None = Field(default=None, validation_alias="NEO4J_READER_USER")
    neo4j_reader_password: SecretStr | None = Field(default=None, validation_alias="NEO4J_READER_PASSWORD")

    # The embedded default: ArcadeDB's Bolt server, started by `kg server start` on loopback.
    data_dir: Path = Field(default=Path("data/graph"), validation_alias="KG_DATA_DIR")
    bolt_port: int = Field(default=7687, validation_alias="KG_BOLT_PORT")
    http_port: int = Field(default=2480, validation_alias="KG_HTTP_PORT")
    database: str = Field(default="kg", validation_alias="KG_DATABASE")
    heap: str = Field(default="1g", validation_alias="KG_SERVER_HEAP")
    start_timeout_s: float = Field(default=90.0, validation_alias="KG_SERVER_START_TIMEOUT")

    # Queries. The console's defaults, and the caps that whatever a caller (a visitor of the app) asks for
    # is clamped to; the local server enforces the caps itself too (the reader group's limits).
    query_timeout_s: float = Field(default=10.0, gt=0, validation_alias="KG_QUERY_TIMEOUT")
    query_row_limit: int = Field(default=1000, gt=0, validation_alias="KG_QUERY_ROW_LIMIT")
    query_timeout_max_s: float = Field(default=60.0, gt=0, validation_alias="KG_QUERY_TIMEOUT_MAX")
    query_row_limit_max: int = Field(default=10_000, gt=0, validation_alias="KG_QUERY_ROW_LIMIT_MAX")
    # The local server's own bound on any one statement (ArcadeDB's arcadedb.command.timeout), writes
    # included, so it is set well above the console's cap: it is the backstop for a console query whose
    # client died before its watchdog could stop it. 0 disables it.
    server_command_timeout_s: float = Field(default=300.0, ge=0, validation_alias="KG_SERVER_COMMAND_TIMEOUT")
    # The port `kg app` (and scripts/run.sh) serves the app on; `kg app --port` overrides it.
    app_port: int = Field(default=8501, gt=0, lt=65536, validation_alias="KG_APP_PORT")
    # The library the app draws its timelines with: Vega-Lite (Streamlit's own, the default: the page paints
    # sooner) or Plotly (bench/README.md, "App first paint", measures the two side by side).
    timeline_chart: Literal["vega-lite", "plotly"] = Field(default="vega-lite", validation_alias="KG_TIMELINE_CHART")
    # Curation (kg curate, the app's Curate page). The curator a decision is recorded under when none is given;
    # and the token the app asks a curator for when it listens beyond loopback: with none set there, the
    # Curate and Ingest pages are read-only.
    curator: str = Field(default="", validation_alias="KG_CURATOR")
    curator_token: SecretStr | None = Field(default=None, validation_alias="KG_CURATOR_TOKEN")
    # The reliability score's weights (KG_RELIABILITY_*): a part of the settings, read from the same
    # environment and .env file.
    reliability: ReliabilityWeights = Field(default_factory=ReliabilityWeights)

    @property
    def external(self) -> bool:
        return bool(self.neo4j_uri)

    def clamp_query_timeout(self, requested: float | None) -> float:
        """The console timeout to use: the default when none (or nonsense) is asked, never above the cap."""
        value = self.query_timeout_s if requested is None or not requested > 0 else float(requested)
        return min(value, self.query_timeout_max_s)

    def clamp_query_row_limit(self, requested: int | None) -> int:
        """The console row limit to use: the default when none (or nonsense) is asked, never above the cap."""
        value = self.query_row_limit if requested is None or requested < 1 else int(requested)
        return min(value, self.query_row_limit_max)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
