"""`kg extract | ingest | load | reextract | forget | refresh | query | app`: option parsing lives here, the
work in `jobs` (read → extract → load) and `kg.queries`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.loader import IngestSummary
from kg.settings import Settings


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _dump(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_dump(x) for x in obj]
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return obj


def _runner(args: argparse.Namespace) -> Any:
    from jobs.runner import make_runner

    return make_runner(getattr(args, "runner", "local"), processes=args.processes,
                       batch_size=getattr(args, "batch_size", 32), workers=getattr(args, "workers", 2),
                       address=getattr(args, "address", None))


@contextlib.contextmanager
def _running(args: argparse.Namespace) -> Iterator[Any]:
    """The runner the options ask for, stopped afterwards (a local Ray instance is shut down)."""
    from jobs.runner import close_runner

    runner = _runner(args)
    try:
        yield runner
    finally:
        close_runner(runner)


def _runner_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runner", choices=["local", "ray"], default="local",
                   help="where extraction runs: this process (default) or Ray actors")
    p.add_argument("--workers", type=int, default=2, help="--runner ray: extraction actors (one CPU each)")
    p.add_argument("--address", metavar="ADDR",
                   help="--runner ray: a Ray cluster (ray://HOST:10001 or HOST:6379); without it a local Ray "
                        "instance is started for the run")


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from jobs import stages
    from ontology.models import Extraction

    paths = [Path(p) for p in args.paths]
    if args.records:
        out_path = Path(args.records)
        # Written beside and renamed at the end, so a failed run never leaves half a record file behind.
        partial = out_path.with_name(f".{out_path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                written, failed = stages.extract_records(paths, out, _runner(args))
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise KGError(f"cannot write the records to {out_path}: {exc.strerror or exc}") from None
        except BaseException:  # interrupted or failed: no half file, under either name
            partial.unlink(missing_ok=True)
            raise
        partial.replace(out_path)
        print(f"records: {written} written to {out_path}, {failed} failed", file=sys.stderr)
        return 1 if failed and args.strict else 0
    from ingest.score_format import to_score_record

    failed = 0
    for item in stages.extract(stages.read(paths), _runner(args)):
        if isinstance(item, Extraction):
            print(json.dumps(to_score_record(item), ensure_ascii=False), flush=True)
        elif getattr(item, "is_warning", False):
            print(item, file=sys.stderr)
        else:
            failed += 1
            print(item, file=sys.stderr)
    return 1 if failed and args.strict else 0


def _finish(summary: IngestSummary, args: argparse.Namespace) -> int:
    print(summary.line())
    return 1 if summary.failed and args.strict else 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.stages import ingest_paths
    from kgcli import intake

    if intake.sources(args):
        if args.paths:
            raise KGError("kg ingest: give files or --feed/--urls/--gdelt sources, not both in one run")
        with _running(args) as runner:
            return intake.ingest(args, settings, runner)
    if not args.paths:
        raise KGError("kg ingest: give files or directories, or a --feed, --urls or --gdelt source")
    with _running(args) as runner:
        summary = ingest_paths(settings, [Path(p) for p in args.paths], runner=runner, reextract=args.reextract,
                               progress=None if args.quiet else sys.stderr)
    return _finish(summary, args)


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.stages import load_records

    summary = load_records(settings, [Path(p) for p in args.paths], reextract=args.reextract,
                           progress=None if args.quiet else sys.stderr)
    return _finish(summary, args)


def cmd_reextract(args: argparse.Namespace, settings: Settings) -> int:
    from jobs.stages import reextract_stored

    with _running(args) as runner:
        summary = reextract_stored(settings, runner, progress=None if args.quiet else sys.stderr)
    return _finish(summary, args)


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    from kg.db import connect
    from kg.queries import article
    from kg.writer import GraphWriter

    with connect(settings) as graph:
        view = article(graph, args.article)
        if view is None:
            raise KGError(f"no article with id or doc_id {args.article!r}")
        result = GraphWriter(graph).forget(view.id)
    print(f"forgot article {view.id} ({view.doc_id}): {result.facts_removed} facts removed, "
          f"{result.facts_kept} kept (supported elsewhere), {result.actors_removed} actors removed")
    return 0


def cmd_refresh(args: argparse.Namespace, settings: Settings) -> int:
    from kg.db import connect
    from kg.writer import GraphWriter

    with connect(settings) as graph:
        writer = GraphWriter(graph)
        outlets = writer.sync_outlets()
        facts = writer.refresh_all()
        if args.summaries:
            writer.rebuild_summaries()
    print(f"outlet priors reloaded ({outlets} outlets); {facts} facts rescored"
          + ("; page summaries rebuilt" if args.summaries else ""))
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from kg import queries
    from kg.db import connect

    with connect(settings) as graph:
        result: Any
        if args.what == "timeline":
            result = queries.timeline(graph, actors=args.actor or None, kinds=args.kind or None, since=args.since,
                                      until=args.until, min_reliability=args.min_reliability,
                                      outlets=args.outlet or None, limit=args.limit)
            lines = [f"{f.date_display or 'undated':<28} {f.fact_type:<17} {f.kind or '':<20} "
                     f"{(f.reliability or 0):>5.0f}  {f.title}  [{f.id}]" for f in result]
        elif args.what == "actor":
            if not args.name:
                raise KGError("kg query actor NAME: give an actor name or alias")
            result = queries.actor(graph, args.name)
            if result is None:
                raise KGError(f"no actor named {args.name!r}")
            lines = [f"{result.name} ({result.type}); aliases: {', '.join(result.aliases) or '-'}; "
                     f"{result.articles} articles"]
            for label, items in (("allegations made", result.allegations_made),
                                 ("allegations received", result.allegations_received),
                                 ("actions issued", result.actions_issued),
                                 ("actions suffered", result.actions_suffered), ("events", result.events)):
                lines.append(f"{label}: {len(items)}")
                lines += [f"  {f.date_display:<26} {f.title}  [{f.id}]" for f in items]
            lines.append("co-mentioned: " + ", ".join(f"{a.name} ({a.articles})" for a in result.co_mentioned))
            followed = [x for x in queries.lifecycle(graph, result.id) if len(x.steps) > 1]
            if followed:  # what followed each allegation against it (LED_TO / RESPONDS_TO, its status)
                lines.append("what followed the allegations:")
                for life in followed:
                    lines.append(f"  {life.allegation.title}  [{life.allegation.id}]")
                    lines += [f"    {s.stage} · {s.date or 'undated'}" + (f" — {s.title}" if s.stage != "alleged"
                              and s.fact_id != life.allegation.id else "") for s in life.steps]
        elif args.what == "trace":
            if not args.name:
                raise KGError("kg query trace FACT_ID: give a fact id (see kg query timeline)")
            result = queries.trace(graph, args.name)
            if result is None:
                raise KGError(f"no fact with id {args.name!r}")
            lines = [f"{result.fact.title} — {result.fact.date_display}, reliability {result.fact.reliability}"]
            reported = queries.reporting(graph, args.name)
            if reported.first is not None:  # reported by fetched articles (live intake): who said it first
                lines.append(f"  {reported.line()}")
            lines += [f"  {x}" for x in result.reliability_explanation]
            for e in result.evidence:
                lines.append(f"- [{e.outlet or 'unknown outlet'}, {e.published or 'undated'}, {e.doc_id}] "
                             f"{e.sentence}")
        elif args.what == "asof":
            if not args.at:
                raise KGError("kg query asof --at WHEN: give a date (2026-06-26, the end of that day) or an ISO time")
            try:
                result = queries.as_of(graph, args.at)
            except ValueError:
                raise KGError(f"--at {args.at!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from None
            lines = [f"{' / '.join(f.dates) or 'undated':<24} {f.fact_type or '':<17} {f.title}  "
                     f"({len(f.reports)} report(s))  [{f.id}]" for f in result]
        elif args.what == "history":
            if not args.name:
                raise KGError("kg query history URL: give an article's URL or doc_id")
            result = queries.article_history(graph, args.name)
            lines = [f"{v.fetched_at}  {v.title}  [{v.article_id}]"
                     + (f"  superseded {v.superseded_at}" if v.superseded_at else "  current") for v in result.versions]
            lines += [c.summary for c in result.corrections]
        elif args.what == "sources":
            result = queries.sources(graph)
            lines = [f"{s.name:<30} prior {s.prior or 0:>3.0f}  articles {s.articles:>4}  cited {s.citations:>4}"
                     for s in result]
        elif args.what == "conflicts":
            result = queries.conflicts(graph)
            lines = [f"{c.fact_title}: {c.field}: {c.value_a} ({c.a.doc_id}) vs {c.value_b} ({c.b.doc_id})"
                     for c in result]
        else:  # cypher
            if not args.name:
                raise KGError("kg query cypher 'MATCH ...': give a query")
            try:
                params = json.loads(args.params) if args.params else {}
            except (ValueError, RecursionError) as exc:  # RecursionError: JSON nested thousands deep
                raise KGError(f"--params is not valid JSON: {str(exc)[:200] or type(exc).__name__}") from None
            if not isinstance(params, dict):
                raise KGError('--params must be a JSON object, e.g. \'{"name": "Reuters"}\'')
            result = queries.cypher(graph, args.name, params, timeout_s=args.timeout, row_limit=args.limit)
            lines = [json.dumps(r, ensure_ascii=False, default=str) for r in result.rows]
            if result.truncated:
                lines.append(f"(truncated at {len(result.rows)} rows)")  # the limit, once clamped
    if args.json:
        _print_json(_dump(result))
    else:
        print("\n".join(lines) if lines else "(nothing)")
    return 0


def cmd_app(args: argparse.Namespace, settings: Settings) -> int:
    app_dir = Path(__file__).resolve().parents[1] / "app"
    port = args.port or settings.app_port
    cmd = [sys.executable, str(app_dir / "serve.py"), str(app_dir / "main.py"), "--server.port", str(port),
           "--server.address", args.address, "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--client.toolbarMode", "viewer"]
    print(f"app: http://{args.address}:{port}", flush=True)
    return subprocess.call(cmd, env={**os.environ})


def _writing_options(p: argparse.ArgumentParser, reextract_help: str | None) -> None:
    """The options of every command that writes articles: --reextract (when it applies), --quiet, --strict."""
    if reextract_help:
        p.add_argument("--reextract", action="store_true", help=reextract_help)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--strict", action="store_true", help="exit 1 when any article or record fails")


def register(sub: Any) -> None:
    from kgcli import intake

    p = sub.add_parser("extract", help="extract records from articles and print them as JSON Lines",
                       description="Print one JSON line per article in the format ../shared/eval/score.py reads; "
                                   "with --records FILE, write the full records instead (for kg load).")
    p.add_argument("paths", nargs="+", help="JSON Lines, .txt or .html files, or directories")
    p.add_argument("--records", metavar="FILE", help="write full-fidelity records (JSON Lines) to FILE")
    p.add_argument("--processes", type=int, default=1, help="spaCy worker processes")
    p.add_argument("--strict", action="store_true", help="exit 1 when any article fails")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="extract articles and write them to the graph",
                       description="Extract and write articles (JSONL, .txt, .html, directories); idempotent. "
                                   "With --feed, --urls or --gdelt: fetch the pages those sources name (politely, "
                                   "only what changed since the last fetch) and ingest them.")
    p.add_argument("paths", nargs="*")
    intake.source_options(p)
    p.add_argument("--processes", type=int, default=1, help="spaCy worker processes")
    p.add_argument("--batch-size", type=int, default=32, help="articles per spaCy batch")
    _runner_options(p)
    _writing_options(p, "re-extract articles already stored by another extractor version (fingerprint)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("load", help="write record files (kg extract --records) into the graph",
                       description="Write extraction records (JSON Lines from kg extract --records) into the graph; "
                                   "idempotent, gives the graph kg ingest of the same articles gives.")
    p.add_argument("paths", nargs="+", help="record files or directories of them")
    _writing_options(p, "replace articles stored with the same text by another extractor version")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("reextract", help="extract again the stored articles another extractor version made",
                       description="Re-extract every stored article whose extractor fingerprint differs from the "
                                   "current one and replace its evidence; a second run changes nothing.")
    p.add_argument("--processes", type=int, default=1, help="spaCy worker processes")
    _runner_options(p)
    _writing_options(p, None)
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("forget", help="remove an article, its evidence and the facts only it supports",
                       description="Remove an article (by id or doc_id) and what only it supports.")
    p.add_argument("article", help="article id (content hash) or doc_id")
    p.set_defaults(func=cmd_forget)

    p = sub.add_parser("refresh", help="reload outlet priors and rescore every fact",
                       description="Reload the outlet registry and recompute reliability and conflicts.")
    p.add_argument("--summaries", action="store_true",
                   help="also rebuild what the writer keeps for the pages (NAMES edges, actors' fact and article "
                        "counts, CO_MENTIONED): for a graph written before they were kept (one transaction)")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("query", help="timeline, actor, trace, sources, conflicts, asof, history or read-only cypher",
                       description="Query the graph. Examples: kg query timeline --actor Alibaba; "
                                   "kg query actor Anthropic; kg query trace FACT_ID; kg query conflicts --json; "
                                   "kg query asof --at 2026-06-26; kg query history URL; "
                                   "kg query cypher 'MATCH (a:Actor) RETURN a.name LIMIT 5'")
    p.add_argument("what", choices=["timeline", "actor", "trace", "sources", "conflicts", "asof", "history", "cypher"])
    p.add_argument("name", nargs="?", help="actor name, fact id, article URL (history), or Cypher query")
    p.add_argument("--at", help="asof: the date (end of that day, UTC) or ISO time to show the graph as it stood")
    p.add_argument("--actor", action="append", help="timeline: actor name or alias (repeatable)")
    p.add_argument("--kind", action="append", help="timeline: fact kind (repeatable)")
    p.add_argument("--outlet", action="append", help="timeline: outlet id (repeatable)")
    p.add_argument("--since", help="timeline: YYYY-MM-DD")
    p.add_argument("--until", help="timeline: YYYY-MM-DD")
    p.add_argument("--min-reliability", type=float)
    p.add_argument("--params", help="cypher: parameters as JSON")
    p.add_argument("--timeout", type=float, default=None, help="cypher: seconds")
    p.add_argument("--limit", type=int, default=1000, help="rows")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("app", help="start the Streamlit app", description="Serve the Streamlit app.")
    p.add_argument("--port", type=int, default=None, help="port (default: the KG_APP_PORT setting, 8501)")
    p.add_argument("--address", default="127.0.0.1")
    p.set_defaults(func=cmd_app)
