"""The app under test, two ways: `kg app` in its own process on a free loopback port (for the browser
and HTTP tests), and this process's environment pointed at a test graph server (for AppTest)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config as st_config

from kg.settings import Settings, get_settings
from tests.graph_server import env_for, free_port

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def serve_app(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    """`kg app` in its own process group with `env`; yields its URL once /_stcore/health answers, and
    stops the whole group afterwards."""
    port = free_port()
    log_path = log_dir / "app.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "kgcli", "app", "--port", str(port)], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`kg app` did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def app_env(graph_settings: Settings, drop_prefixes: tuple[str, ...] = ("NEO4J_",)) -> dict[str, str]:
    """This environment without the variables named by `drop_prefixes`, pointed at the test server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop_prefixes)}
    env.update(env_for(graph_settings))
    return env


def reset_app_caches() -> None:
    get_settings.cache_clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@contextlib.contextmanager
def pointed_at(graph_settings: Settings) -> Iterator[None]:
    """This process's environment (the app run by AppTest) pointed at the test server, caches fresh."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env_for(graph_settings).items():
            mp.setenv(key, value)
        for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            mp.delenv(var, raising=False)
        reset_app_caches()
        # AppTest has no server: say where `kg app` binds by default (loopback), which the pages that write
        # (Curate, Ingest) check; tests of another binding set it themselves.
        address = st.get_option("server.address")
        st_config.set_option("server.address", "127.0.0.1")
        try:
            yield
        finally:
            st_config.set_option("server.address", address)
    reset_app_caches()
