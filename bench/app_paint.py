"""First paint of the timeline page (the app's landing page) in headless Chromium, on the benchmark graph.

`kg app --port P` is started against the benchmark server (KG_DATA_DIR / KG_BOLT_PORT / KG_HTTP_PORT); each
attempt opens a fresh browser context and times navigation -> the "Timeline" heading, and -> the first drawn
point of the timeline chart (what the reader waits for). "cold" is the first visit after the app started,
"warm" the next ones (the app's caches may be filled).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.server import env_for, free_port
from kg.db import Graph
from kg.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP_MAIN = Path(__file__).resolve().parents[1] / "app" / "main.py"


def available() -> str | None:
    """None when the measurement can run, else why not."""
    if not APP_MAIN.exists():
        return "app/main.py does not exist yet"
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def landing_queries(graph: Graph) -> dict[str, float]:
    """The query-layer calls the timeline page makes before it can draw (app/screens/timeline.py through
    app/data.py, with their arguments), timed."""
    from kg import queries

    calls = {
        "find_actors (actor filter)": lambda: queries.find_actors(graph, "", limit=5000),
        "publishing_outlets (outlet filter)": lambda: queries.publishing_outlets(graph),
        "kinds": lambda: queries.kinds(graph),
        "date_range": lambda: queries.date_range(graph),
        "timeline (no filter, 1000)": lambda: queries.timeline(graph, limit=1000),
    }
    out = {}
    for name, fn in calls.items():
        t0 = time.perf_counter()
        fn()
        out[name] = (time.perf_counter() - t0) * 1000
    return out


def first_paint(settings: Settings, attempts: int = 3, log: Path | None = None) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **env_for(settings)}
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "kgcli", "app", "--port", str(port)], env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    timings: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/_stcore/health", timeout=2).read()
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"`kg app` did not start (exit {proc.poll()})")
            time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for i in range(attempts):
                    name = "cold" if i == 0 else f"warm{i}"
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    t0 = time.monotonic()
                    page.goto(url)
                    page.get_by_role("heading", name="Timeline", exact=True).first.wait_for(
                        state="visible", timeout=120_000)
                    timings[f"{name}_heading_s"] = time.monotonic() - t0
                    page.locator(".js-plotly-plot .scatterlayer .point, .js-plotly-plot .barlayer .point").first \
                        .wait_for(state="visible", timeout=120_000)
                    timings[f"{name}_chart_s"] = time.monotonic() - t0
                    context.close()
            finally:
                browser.close()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if log:
            out.close()  # type: ignore[union-attr]
    return timings
