"""Start a real local graph server for tests, on free loopback ports, in a temporary data directory."""

from __future__ import annotations

from pathlib import Path

from kg import server
from kg.server import env_for, free_port
from kg.settings import Settings


def local_settings(data_dir: Path, **extra: object) -> Settings:
    return server.private_settings(data_dir, "768m", **extra)


__all__ = ["env_for", "free_port", "local_settings", "server"]


def kg_env(settings: Settings) -> dict[str, str]:
    """The environment a `kg` subprocess needs to talk to this test server (and never to a production one)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_for(settings))
    return env
