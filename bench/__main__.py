"""`python -m bench [--quick]`: the performance benchmarks of issue 8, side by side, one summary line at the end.

Parts (each on a graph server of its own, started in a temp dir and stopped at the end, even on error):
  writes   GraphWriter.write_many (batches of 32, as kg ingest) and one article per transaction
           vs raw UNWIND-MERGE of the same rows                                                  -> write_ratio
  ingest   read -> extract -> write (kg ingest's path) vs bare nlp.pipe, same texts, same n_process -> ingest_ratio
           peak RSS of ingesting 1x vs 10x the corpus (child processes)                          -> memory_ratio
  queries  synthetic graph of 100k articles; p50/p95 of timeline, actor, trace, conflicts through kg.queries;
           time per statement, server plans of the slowest ones; which indexes matter; the writer on the big graph
  app      (--app) first paint of the timeline page in headless Chromium on the same graph, each chart library
           side by side (alone, with --skip queries)
  scale    extraction of the ingest corpus alone: local runner vs Ray at 1 and 2 workers      -> ray_2v1
           the writer alone (records replayed) and Ray end to end with the one writer; a capacity model
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aigeo-kg-bench"
PROFILE_DIR = DEFAULT_CACHE.parent / "aigeo-kg-bench-profile"


class Config:
    def __init__(self, quick: bool, args: argparse.Namespace) -> None:
        self.quick = quick
        self.write_articles = 120 if quick else 300
        self.write_rounds = 1 if quick else 2
        self.ingest_articles = args.ingest_articles or (300 if quick else 2000)
        self.graph_articles = args.articles or (20_000 if quick else 100_000)
        self.query_calls = 50
        self.query_warmup = 2
        self.query_budget_s = 45.0 if quick else 90.0  # per query function: a slow one stops early
        self.index_calls = 6 if quick else 8
        self.scale_articles = 10 if quick else 30
        self.processes = args.processes
        self.paint_attempts = args.paint_attempts
        self.profile = not quick and not args.no_profile


def log(msg: str = "") -> None:
    print(msg, flush=True)


def fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


# ---------------------------------------------------------------- writes


def part_writes(cfg: Config, results: dict[str, Any]) -> None:
    from bench.server import running_server
    from bench.writes import BATCHED, ONE_BY_ONE, write_benchmark
    from kg.db import connect

    log(f"== graph writes: {cfg.write_articles} synthetic articles, {cfg.write_rounds} round(s), same server ==")
    with running_server("writes") as settings, connect(settings) as graph:
        r = write_benchmark(graph, cfg.write_articles, cfg.write_rounds, progress=log)
    log(f"  rows written per run: {r.rows} ({r.rows / r.articles:.0f} per article)")
    for path in r.seconds:
        same = r.same_graph.get(path, "reference")
        log(f"  {path:<36} {r.median(path):7.2f} s  {r.rows_per_s(path):8.0f} rows/s  "
            f"{r.articles / r.median(path):7.1f} articles/s  ratio to raw {r.ratio(path):5.2f}  "
            f"graph vs one-per-transaction writer: {same}")
    results["write_ratio"] = r.ratio(BATCHED)
    results["one_by_one_write_ratio"] = r.ratio(ONE_BY_ONE)


# ---------------------------------------------------------------- ingest and memory


def _pipeline_importable() -> str | None:
    proc = subprocess.run([sys.executable, "-c", "import ingest.pipeline, ingest.readers"], cwd=ROOT,
                          capture_output=True, text=True)
    return None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["?"])[-1]


def _child(mode: str, path: Path, cfg: Config, env: dict[str, str], spy_out: Path | None = None) -> dict[str, Any]:
    from bench import spy

    cmd = [sys.executable, "-m", "bench.ingest_child", mode, str(path), "--processes", str(cfg.processes)]
    if spy_out is not None:
        cmd = [spy.command(), "record", "--nonblocking", "--idle", "--format", "raw", "-r", "50", "-o",
               str(spy_out), "--", *cmd]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench.ingest_child {mode} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def part_ingest(cfg: Config, results: dict[str, Any], tmp: Path) -> None:
    from bench import corpus, spy
    from bench.server import env_for, running_server, wipe
    from kg.db import connect

    why = _pipeline_importable()
    if why:
        log(f"== ingest: skipped, the pipeline does not import ({why}) ==")
        return
    n10 = cfg.ingest_articles
    n1 = max(1, n10 // 10)
    log(f"== ingest: {n10} generated articles (1x = {n1}, 10x = {n10}), n_process={cfg.processes} ==")
    c10 = corpus.write_jsonl(tmp / "corpus10.jsonl", n10)
    c1 = corpus.write_jsonl(tmp / "corpus1.jsonl", n1)
    log(f"  corpus: {c10.stat().st_size / n10:.0f} bytes/article (sample sentences + templates, bench/corpus.py)")
    with running_server("ingest") as settings, connect(settings) as graph:
        env = {**os.environ, **env_for(settings)}
        bare = _child("bare", c10, cfg, env)
        log(f"  bare nlp.pipe          {bare['seconds']:7.1f} s  {bare['articles'] / bare['seconds']:6.1f} articles/s"
            f"  ({bare['tokens'] / bare['seconds']:.0f} tokens/s; pipes {','.join(bare['pipes'])})")
        spy_raw = tmp / "ingest.spy.txt" if cfg.profile and spy.available() else None
        if cfg.profile and spy_raw is None:
            log("  (py-spy is not installed: the ingest run is not profiled; `pip install py-spy`)")
        full = _child("ingest", c10, cfg, env, spy_out=spy_raw)
        log(f"  ingest (read->extract->write) {full['seconds']:7.1f} s  {full['articles'] / full['seconds']:6.1f} "
            f"articles/s  new {full['new']} failed {full['failed']}  +{full['nodes_added']} nodes  "
            f"peak RSS {full['peak_rss_mb']:.0f} MB")
        results["ingest_ratio"] = bare["seconds"] / full["seconds"] if full["articles"] == bare["articles"] else None
        wipe(graph)
        one = _child("ingest", c1, cfg, env)
        log(f"  ingest 1x ({n1} articles)  peak RSS {one['peak_rss_mb']:.0f} MB; "
            f"10x ({n10}) {full['peak_rss_mb']:.0f} MB")
        results["memory_ratio"] = full["peak_rss_mb"] / one["peak_rss_mb"]
        results["rss_mb"] = (one["peak_rss_mb"], full["peak_rss_mb"])
        # Where the time goes beyond the model: the project's nlp object (model + its components) alone.
        proj = _child("project", c1, cfg, env)
        bare1 = _child("bare", c1, cfg, env)
        log(f"  on the 1x corpus: bare model {bare1['seconds']:.1f} s, project nlp (model + sentence hints + "
            f"gazetteer) {proj['seconds']:.1f} s ({proj['seconds'] / bare1['seconds']:.2f}x), "
            f"full ingest {one['seconds']:.1f} s ({one['seconds'] / bare1['seconds']:.2f}x)")
        if spy_raw is not None and spy_raw.exists():
            log("  py-spy of the 10x ingest (share of samples, idle included, per thread):")
            for line in spy.summarise(spy_raw):
                log(f"    {line}")
            PROFILE_DIR.mkdir(parents=True, exist_ok=True)
            keep = PROFILE_DIR / "ingest.spy.txt"
            shutil.copy(spy_raw, keep)
            log(f"    (collapsed stacks: {keep}; python -c 'from bench.spy import summarise' to re-read)")


# ---------------------------------------------------------------- scale: Ray workers and the one writer


def _scale_child(mode: str, path: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    load = os.getloadavg()[0]
    cmd = [sys.executable, "-m", "bench.ingest_child", mode, str(path), *extra]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench.ingest_child {mode} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = dict(json.loads(lines[-1]))
    out["load_before"], out["load_after"] = load, os.getloadavg()[0]
    out["rate"] = out["articles"] / out["seconds"]
    return out


def _per_day(rate: float) -> str:
    return f"{rate * 86_400:,.0f}"


def part_scale(cfg: Config, results: dict[str, Any], tmp: Path) -> None:
    from bench import corpus
    from bench.server import env_for, running_server, wipe
    from kg.db import connect

    why = _pipeline_importable()
    if why:
        log(f"== scale: skipped, the pipeline does not import ({why}) ==")
        return
    n = cfg.ingest_articles
    log(f"== scale: extraction of the same {n} generated articles (the ingest part's corpus) on the local runner "
        f"and on Ray (local instance, 1 actor per CPU asked for), then the one writer ==")
    path = corpus.write_jsonl(tmp / "scale.jsonl", n)
    records = tmp / "scale.records.jsonl"
    env = dict(os.environ)

    def line(name: str, r: dict[str, Any]) -> None:
        setup = f", start {r['load_seconds']:.0f} s excluded" if "load_seconds" in r else ""
        retried = f", {r['retried']} resent" if r.get("retried") else ""
        log(f"  {name:<34} {r['seconds']:7.1f} s  {r['rate']:6.1f} articles/s  failed {r['failed']}{setup}"
            f"{retried}  (load average {r['load_before']:.1f} -> {r['load_after']:.1f})")

    local = _scale_child("extract", path, env, "--processes", "1")
    local.setdefault("failed", 0)
    line("extract, local runner", local)
    ray1 = _scale_child("ray-extract", path, env, "--workers", "1")
    line("extract, Ray, 1 worker", ray1)
    ray2 = _scale_child("ray-extract", path, env, "--workers", "2", "--records", str(records))
    line("extract, Ray, 2 workers", ray2)
    speedup = ray2["rate"] / ray1["rate"]
    log(f"  Ray 2 workers / 1 worker: {speedup:.2f}x (target >= 1.7 on 2 CPUs); Ray 1 worker / local runner: "
        f"{ray1['rate'] / local['rate']:.2f}x")
    results["ray_2v1"] = speedup
    with running_server("scale") as settings, connect(settings) as graph:
        env = {**os.environ, **env_for(settings)}
        writer = _scale_child("load", records, env)
        line("the writer alone (kg load, empty graph)", writer)
        wipe(graph)
        e2e = _scale_child("ray-ingest", path, env, "--workers", "2")
        line("end to end, Ray 2 workers + writer", e2e)
    bound = "the writer" if writer["rate"] < ray2["rate"] else "extraction"
    log(f"  end to end {e2e['rate']:.1f} articles/s = {e2e['rate'] / ray2['rate']:.2f}x extraction alone at 2 workers, "
        f"{e2e['rate'] / writer['rate']:.2f}x the writer alone: bounded by {bound} (one machine: the writer, its "
        f"server and 2 actors share 2 CPUs)")
    per_worker = ray1["rate"]
    big = results.get("scale_writer_aps")
    log("  capacity model (articles/day; extraction scales per worker from the 1-worker rate, the writer does not):")
    for workers in (1, 10, 100):
        extract = per_worker * workers
        one = min(extract, writer["rate"])
        log(f"    {workers:>3} workers: extraction {_per_day(extract)}/day; with one writer {_per_day(one)}/day "
            f"(bound: {'writer' if writer['rate'] < extract else 'extraction'}); "
            f"bulk import: {_per_day(one)}/day today "
            f"(the export is taken from a graph the writer built), {_per_day(extract)}/day with import files "
            "written from records (not built)")
    if big:
        log(f"    the writer on the 100k graph (queries part): {big:.1f} articles/s = {_per_day(big)}/day")
    results.update(scale_local_aps=local["rate"], scale_ray1_aps=ray1["rate"], scale_ray2_aps=ray2["rate"],
                   scale_writer_empty_aps=writer["rate"], scale_e2e_aps=e2e["rate"])


# ---------------------------------------------------------------- queries on the big graph


def _cache_key(n_articles: int) -> str:
    h = hashlib.sha256(str(n_articles).encode())
    for rel in ("bench/synth.py", "bench/bulk.py", "bench/cypher.py", "kg/cypher/writes.py", "kg/cypher/fragments.py",
                "kg/facts.py", "kg/names.py", "kg/conflicts.py", "kg/reliability.py", "kg/cypher/ddl.py",
                "kg/writer.py", "kg/dates.py", "ontology/models.py", "ontology/kg.ttl", "reference/outlets.py",
                "reference/names.py", "reference/data/outlets.yaml"):
        p = ROOT / rel
        h.update(rel.encode() + (p.read_bytes() if p.exists() else b""))
    return h.hexdigest()[:16]


def _build_graph(cfg: Config, settings: Any, world: Any) -> float:
    from bench import synth
    from bench.bulk import bulk_load
    from kg.db import connect
    from kg.writer import GraphWriter

    t0 = time.perf_counter()
    with connect(settings) as graph:
        GraphWriter(graph).sync_outlets()
        stats = bulk_load(graph, synth.extractions(cfg.graph_articles, w=world), mode="create", threaded=True)
    dt = time.perf_counter() - t0
    log(f"  built in {dt:.0f} s: {stats.rows} rows, {stats.rows / dt:.0f} rows/s "
        f"(server {stats.seconds_db:.0f} s, Python rows+summaries {stats.seconds_py:.0f} s)")
    log("  " + ", ".join(f"{k} {v:.0f}s" for k, v in stats.by_statement.items()))
    return dt


@contextlib.contextmanager
def _graph_server(cfg: Config, world: Any, cache: Path | None, results: dict[str, Any]) -> Any:
    from bench.server import running_server
    from kg import server

    key = _cache_key(cfg.graph_articles)
    cached = cache / key if cache else None
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-graph-"))
    try:
        if cached and (cached / "complete").exists():
            log(f"  graph from the cache {cached} (built by this code; --no-graph-cache to rebuild)")
            shutil.copytree(cached / "databases", tmp / "databases")
            with running_server("graph", keep=tmp) as settings:
                yield settings
            return
        with running_server("graph", keep=tmp) as settings:
            results["build_s"] = _build_graph(cfg, settings, world)
            if cached:
                server.stop(settings)  # a consistent copy, then on again
                shutil.rmtree(cached, ignore_errors=True)
                cached.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(tmp / "databases", cached / "databases")
                (cached / "complete").write_text(json.dumps({"articles": cfg.graph_articles}))
                for old in cached.parent.iterdir():  # older builds of the same size: stale code
                    with contextlib.suppress(OSError, ValueError):
                        same_size = json.loads((old / "complete").read_text())["articles"] == cfg.graph_articles
                        if old != cached and same_size:
                            shutil.rmtree(old, ignore_errors=True)
                server.start(settings)
            yield settings
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def part_queries(cfg: Config, results: dict[str, Any], cache: Path | None, app: bool, tmp: Path) -> None:
    from bench import synth
    from bench.indexes import index_experiment
    from bench.plans import slow_statement_plans
    from bench.queries import ArgumentSampler, measure, statement_profile
    from bench.writes import BATCHED, writes_at_scale
    from kg.db import connect, count_graph

    log(f"== queries: synthetic graph of {cfg.graph_articles} articles ==")
    world = synth.world(cfg.graph_articles)
    with _graph_server(cfg, world, cache, results) as settings, connect(settings) as graph:
        counts = count_graph(graph)
        log(f"  graph: {counts['nodes']} nodes, {counts['relationships']} relationships, {len(world.actors)} actors, "
            f"{len(world.facts)} planned facts")
        sampler = ArgumentSampler(graph, world)
        log(f"  query layer ({cfg.query_calls} calls each after {cfg.query_warmup} warm-up rounds, "
            f"interleaved; a function stops at 50 calls once it has taken {cfg.query_budget_s:.0f} s):")
        current = measure(graph, sampler, calls=cfg.query_calls, warmup=cfg.query_warmup,
                          budget_s=cfg.query_budget_s, min_calls=50)
        for lat in current.values():
            log(f"    {lat.line()}")
        for name in ("timeline", "actor", "trace", "conflicts"):
            results[f"{name}_p95_ms"] = current[name].p95 if name in current else None
        prof = statement_profile(graph, sampler, rounds=5)
        log("  mean ms per call inside each function, by statement (+ client: pydantic, Python; 5 rounds):")
        for fn, stmts in prof.items():
            log(f"    {fn:<10} " + ", ".join(f"{k} {v:.0f}" for k, v in stmts.items()))
        top = world.actors[0].name
        log(f"  server PROFILE of the actor-centred statements for the most mentioned actor ({top}), and of the "
            "conflicts list's:")
        plans_out = PROFILE_DIR / "plans.txt"
        for line in slow_statement_plans(graph, top, plans_out):
            log(f"    {line}")
        log(f"    (full plans: {plans_out})")
        log(f"  indexes (p50 of {cfg.index_calls} calls with each index dropped, then rebuilt):")
        for line in index_experiment(graph, sampler, calls=cfg.index_calls):
            log(f"    {line}")

        log(f"  the writer on the big graph ({cfg.scale_articles} new articles about known facts each):")
        scale = writes_at_scale(graph, world, cfg.scale_articles)
        for path, s in scale.seconds.items():
            log(f"    {path:<36} {s:6.1f} s  {scale.articles / s:6.1f} articles/s")
        results["scale_writer_aps"] = scale.articles / scale.seconds[BATCHED]

        if app:
            _app_paint(cfg, results, graph, settings, tmp)


def _app_paint(cfg: Config, results: dict[str, Any], graph: Any, settings: Any, tmp: Path) -> None:
    from bench import app_paint

    why = app_paint.available()
    if why:
        log(f"== app first paint: skipped ({why}) ==")
        return
    log(f"== app first paint: timeline page, headless Chromium, on this graph, chart libraries side by side "
        f"({', '.join(app_paint.LIBRARIES)}; the first is the default) ==")
    try:
        for name, ms in app_paint.landing_queries(graph).items():
            log(f"    landing-page query {name:<34} {ms:7.0f} ms (cold, before the app caches it)")
        t = app_paint.first_paint(settings, attempts=cfg.paint_attempts, log=tmp / "app.log")
        for k, v in t.items():
            if not k.startswith("load_"):
                log(f"    {k:<30} {v:5.2f} {'MB' if k.endswith('_mb') else 's'}")
        for line in app_paint.summary(t):
            log(f"  {line}")
        results["app_first_paint_s"] = app_paint.best_warm(t)
        results["app_first_paint_other"] = {lib: app_paint.best_warm(t, lib) for lib in app_paint.LIBRARIES[1:]}
        results["app_first_paint_returning_s"] = app_paint.best_returning(t)
    except Exception as exc:
        log(f"    failed: {exc}")


def part_app(cfg: Config, results: dict[str, Any], cache: Path | None, tmp: Path) -> None:
    """The app's first paint alone (--app with --skip queries), on the queries part's graph."""
    from bench import synth
    from kg.db import connect

    log(f"== app: synthetic graph of {cfg.graph_articles} articles (the queries part's) ==")
    world = synth.world(cfg.graph_articles)
    with _graph_server(cfg, world, cache, results) as settings, connect(settings) as graph:
        _app_paint(cfg, results, graph, settings, tmp)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller sizes: a few minutes")
    p.add_argument("--app", action="store_true", help="also measure the app's first paint (headless Chromium), "
                   "with each timeline chart library; alone, on the same graph, with --skip queries")
    p.add_argument("--paint-attempts", type=int, default=5,
                   help="visits per chart library for the first paint (the first is cold; default 5)")
    p.add_argument("--skip", default="", help="comma-separated parts to skip: writes,ingest,queries,scale")
    p.add_argument("--processes", type=int, default=1, help="spaCy n_process for bare and full ingest (default 1)")
    p.add_argument("--articles", type=int, help="articles in the synthetic query graph (default 100000)")
    p.add_argument("--ingest-articles", type=int, help="articles in the ingest corpus (10x; default 2000)")
    p.add_argument("--graph-cache", type=Path, default=DEFAULT_CACHE,
                   help=f"keep the built query graph here, keyed by the code that builds it (default {DEFAULT_CACHE})")
    p.add_argument("--no-graph-cache", action="store_true", help="always build the query graph afresh")
    p.add_argument("--no-profile", action="store_true", help="no py-spy profile of the ingest run")
    args = p.parse_args(argv)
    cfg = Config(args.quick, args)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    results: dict[str, Any] = {}
    started = time.monotonic()
    log(f"bench: {'quick' if cfg.quick else 'full'} run, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} (shared machine: compare the side-by-side ratios, not absolute times)")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    failed = False
    try:
        for name, run in (("writes", lambda: part_writes(cfg, results)),
                          ("ingest", lambda: part_ingest(cfg, results, tmp)),
                          ("queries", lambda: part_queries(cfg, results, None if args.no_graph_cache
                                                           else args.graph_cache, args.app, tmp)),
                          ("app", lambda: part_app(cfg, results, None if args.no_graph_cache
                                                   else args.graph_cache, tmp)),
                          ("scale", lambda: part_scale(cfg, results, tmp))):
            if name in skip or (name == "app" and (not args.app or "queries" not in skip)):
                continue  # (the app part runs inside the queries part, on its graph, unless that is skipped)
            t0 = time.monotonic()
            try:
                run()
            except Exception:
                failed = True
                log(f"!! part {name} failed:\n{traceback.format_exc()}")
            log(f"   ({name}: {time.monotonic() - t0:.0f} s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        log(f"total {time.monotonic() - started:.0f} s")
        if "app_first_paint_s" in results:
            others = ", ".join(f"{lib} {fmt(v)}" for lib, v in results.get("app_first_paint_other", {}).items())
            log(f"app_first_paint_s={fmt(results['app_first_paint_s'])} (warm, best; the default chart library; a "
                f"first visit, no browser cache{'; ' + others if others else ''}; target <= 1.5) "
                f"returning_reader_s={fmt(results.get('app_first_paint_returning_s'))} (the browser's cache "
                "holding Streamlit's JavaScript)")
        log(f"ingest_ratio={fmt(results.get('ingest_ratio'))} write_ratio={fmt(results.get('write_ratio'))} "
            f"memory_ratio={fmt(results.get('memory_ratio'))} "
            f"timeline_p95_ms={fmt(results.get('timeline_p95_ms'), 1)} "
            f"actor_p95_ms={fmt(results.get('actor_p95_ms'), 1)} "
            f"trace_p95_ms={fmt(results.get('trace_p95_ms'), 1)} "
            f"conflicts_p95_ms={fmt(results.get('conflicts_p95_ms'), 1)} "
            f"ray_2v1={fmt(results.get('ray_2v1'))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
