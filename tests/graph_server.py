"""Start a real local graph server for tests, on free loopback ports, in a temporary data directory."""

from __future__ import annotations

import socket
from pathlib import Path

from kg import server
from kg.settings import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def local_settings(data_dir: Path, **extra: object) -> Settings:
    return Settings(
        NEO4J_URI=None,
        KG_DATA_DIR=data_dir,
        KG_BOLT_PORT=free_port(),
        KG_HTTP_PORT=free_port(),
        KG_SERVER_HEAP="768m",
        **extra,  # type: ignore[arg-type]
    )


def env_for(settings: Settings) -> dict[str, str]:
    """Environment variables that point a `kg` subprocess at this server."""
    return {
        "KG_DATA_DIR": str(settings.data_dir),
        "KG_BOLT_PORT": str(settings.bolt_port),
        "KG_HTTP_PORT": str(settings.http_port),
        "KG_SERVER_HEAP": settings.heap,
    }


__all__ = ["env_for", "free_port", "local_settings", "server"]
