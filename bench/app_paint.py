"""First paint of the timeline page (the app's landing page) in headless Chromium, on the benchmark graph, with
each chart library the timeline can be drawn with, side by side.

One `kg app --port P` per library (KG_TIMELINE_CHART=vega-lite / plotly) is started against the benchmark server
(KG_DATA_DIR / KG_BOLT_PORT / KG_HTTP_PORT); each attempt opens a fresh browser context (no browser cache) and
times navigation -> the "Timeline" heading, and -> the first drawn item of the timeline chart (what the reader
waits for). The libraries take turns within each round, the first of a round alternating. "cold" is the first
visit to an app after it started, "warm" the next ones (the app's caches may be filled). Each attempt also
records the JavaScript the page fetched (bytes, from the browser's resource timing).

Then a returning reader: one browser context per library, its first visit filling the browser's cache (Streamlit
serves its JavaScript `Cache-Control: public, immutable`), the next visits timed the same way, each in a new tab
("returningN"; `..._net_js_mb`: what came over the network, none of it JavaScript once cached).
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.server import env_for, free_port
from kg.db import Graph
from kg.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP_MAIN = Path(__file__).resolve().parents[1] / "app" / "main.py"
LIBRARIES = ("vega-lite", "plotly")  # the values of KG_TIMELINE_CHART (kg/settings.py); the first is the default
# The first drawn item of the timeline: a Plotly point or bar; a Vega-Lite bar or point (SVG marks).
CHART_ITEM = {"plotly": ".js-plotly-plot .scatterlayer .point, .js-plotly-plot .barlayer .point",
              "vega-lite": ", ".join(f'[data-testid="stVegaLiteChart"] svg g.{layer}_marks path'
                                     for layer in ("tl_bars", "tl_negated_bars", "tl_points"))}
JS_BYTES = ("() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('.js'))"
            ".reduce((n, e) => n + (e.encodedBodySize || e.transferSize || 0), 0)")
NET_JS_BYTES = ("() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('.js'))"
                ".reduce((n, e) => n + (e.transferSize || 0), 0)")


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


def _start_app(settings: Settings, library: str, log: Path | None) -> tuple[subprocess.Popen[bytes], str, Any]:
    port = free_port()
    env = {**os.environ, **env_for(settings), "KG_TIMELINE_CHART": library}
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "kgcli", "app", "--port", str(port)], env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}", out


def _wait_healthy(proc: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url + "/_stcore/health", timeout=2).read()
            return
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"`kg app` did not start (exit {proc.poll()})")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def first_paint(settings: Settings, attempts: int = 4, log: Path | None = None,
                libraries: tuple[str, ...] = LIBRARIES) -> dict[str, float]:
    """{f"{library}_{cold|warmN}_{heading|chart}_s": seconds, f"{library}_{...}_js_mb": MB of JavaScript fetched,
    "load_before"/"load_after": the 1-minute load average around the measurement}."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, float] = {"load_before": os.getloadavg()[0]}
    apps = {lib: _start_app(settings, lib, log.with_name(f"{log.stem}-{lib}{log.suffix}") if log else None)
            for lib in libraries}
    try:
        for proc, url, _ in apps.values():
            _wait_healthy(proc, url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for i in range(attempts):
                    name = "cold" if i == 0 else f"warm{i}"
                    order = list(libraries) if i % 2 == 0 else list(reversed(libraries))
                    for lib in order:
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        timings.update(_visit(context, apps[lib][1], lib, name))
                        context.close()
                returning = {lib: browser.new_context(viewport={"width": 1400, "height": 1000}) for lib in libraries}
                for lib, context in returning.items():
                    _visit(context, apps[lib][1], lib, "priming")  # fills the browser's cache, not timed
                for i in range(1, attempts):
                    for lib in (libraries if i % 2 else tuple(reversed(libraries))):
                        timings.update(_visit(returning[lib], apps[lib][1], lib, f"returning{i}"))
                for context in returning.values():
                    context.close()
            finally:
                browser.close()
    finally:
        for proc, _, out in apps.values():
            _stop(proc)
            if log:
                out.close()
    timings["load_after"] = os.getloadavg()[0]
    return timings


def _visit(context: Any, url: str, lib: str, name: str) -> dict[str, float]:
    """One visit in a new tab of `context`: navigation -> heading, -> the chart's first item; JavaScript used
    and JavaScript that came over the network (MB)."""
    page = context.new_page()
    try:
        t0 = time.monotonic()
        page.goto(url)
        page.get_by_role("heading", name="Timeline", exact=True).first.wait_for(state="visible", timeout=120_000)
        heading = time.monotonic() - t0
        page.locator(CHART_ITEM[lib]).first.wait_for(state="visible", timeout=120_000)
        chart = time.monotonic() - t0
        return {f"{lib}_{name}_heading_s": heading, f"{lib}_{name}_chart_s": chart,
                f"{lib}_{name}_js_mb": float(page.evaluate(JS_BYTES)) / 1e6,
                f"{lib}_{name}_net_js_mb": float(page.evaluate(NET_JS_BYTES)) / 1e6}
    finally:
        page.close()


def _charts(timings: dict[str, float], lib: str, series: str, what: str = "chart") -> list[float]:
    return sorted(v for k, v in timings.items() if k.startswith(f"{lib}_{series}") and k.endswith(f"_{what}_s"))


def summary(timings: dict[str, float], libraries: tuple[str, ...] = LIBRARIES) -> list[str]:
    """One line per library: cold and warm paint (best, median of the warm visits), heading, JavaScript."""
    lines = []
    for lib in libraries:
        warm, heads = _charts(timings, lib, "warm"), _charts(timings, lib, "warm", "heading")
        if not warm:
            continue
        js = timings.get(f"{lib}_warm1_js_mb", timings.get(f"{lib}_cold_js_mb", math.nan))
        lines.append(f"{lib:<10} warm chart {min(warm):5.2f} s best, {statistics.median(warm):5.2f} s median "
                     f"({len(warm)} visits; heading {statistics.median(heads):4.2f} s); cold chart "
                     f"{timings.get(f'{lib}_cold_chart_s', math.nan):5.2f} s (heading "
                     f"{timings.get(f'{lib}_cold_heading_s', math.nan):4.2f} s); {js:4.1f} MB of JavaScript")
    for lib in libraries:
        back, heads = _charts(timings, lib, "returning"), _charts(timings, lib, "returning", "heading")
        if back:
            net = max(v for k, v in timings.items() if k.startswith(f"{lib}_returning") and k.endswith("_net_js_mb"))
            lines.append(f"{lib:<10} returning reader (browser cache) chart {min(back):5.2f} s best, "
                         f"{statistics.median(back):5.2f} s median ({len(back)} visits; heading "
                         f"{statistics.median(heads):4.2f} s); {net:4.1f} MB of JavaScript over the network")
    a, b = (_charts(timings, lib, "warm") for lib in libraries[:2])
    if a and b:
        lines.append(f"{libraries[0]} / {libraries[1]} warm chart (medians): "
                     f"{statistics.median(a) / statistics.median(b):.2f}x")
    before, after = timings.get("load_before", math.nan), timings.get("load_after", math.nan)
    lines.append(f"load average {before:.1f} -> {after:.1f}")
    return lines


def best_returning(timings: dict[str, float], library: str = LIBRARIES[0]) -> float | None:
    back = _charts(timings, library, "returning")
    return min(back) if back else None


def best_warm(timings: dict[str, float], library: str = LIBRARIES[0]) -> float | None:
    warm = _charts(timings, library, "warm")
    return min(warm) if warm else timings.get(f"{library}_cold_chart_s")
