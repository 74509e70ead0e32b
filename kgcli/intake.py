"""`kg ingest --feed/--urls/--gdelt` and `kg watch`: option parsing only; `intake` does the work."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.settings import Settings


def sources(args: argparse.Namespace) -> list[Any]:
    from intake.poll import Source

    return [*(Source(kind="feed", where=w) for w in args.feed or ()),
            *(Source(kind="urls", where=w) for w in args.urls or ()),
            *(Source(kind="gdelt", where=w) for w in args.gdelt or ())]


def _poller(args: argparse.Namespace, settings: Settings) -> Any:
    from intake.fetch import Fetcher, FetchPolicy
    from intake.poll import Poller, default_state_path
    from intake.state import FetchState

    policy = FetchPolicy(read_timeout_s=args.timeout, per_host_interval_s=args.per_host_interval,
                         respect_robots=not args.ignore_robots)
    state = FetchState(Path(args.state) if args.state else default_state_path(settings))
    return Poller(Fetcher(policy), state)


def _close(poller: Any) -> None:
    poller.fetcher.close()
    poller.state.close()


def ingest(args: argparse.Namespace, settings: Settings, runner: Any) -> int:
    """One poll of the intake sources given to `kg ingest`."""
    poller = _poller(args, settings)
    try:
        summary = poller.poll(settings, sources(args), runner, progress=None if args.quiet else sys.stderr)
    finally:
        _close(poller)
    print(summary.line())
    from kgcli.watchlist import run_all

    run_all(settings)
    return 1 if summary.ingest.failed and args.strict else 0


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from intake.watch import parse_every, watch
    from jobs.runner import LocalRunner

    given = sources(args)
    if not given:
        raise KGError("kg watch: give at least one --feed, --urls or --gdelt source")
    try:
        every = parse_every(args.every)
    except ValueError as exc:
        raise KGError(str(exc)) from None
    from kgcli.watchlist import run_all

    poller = _poller(args, settings)
    try:
        watch(settings, poller, given, every, polls=args.polls, runner=LocalRunner(processes=args.processes),
              after_poll=lambda: run_all(settings))
    finally:
        _close(poller)
    return 0


def source_options(p: argparse.ArgumentParser) -> None:
    """The intake options `kg ingest` and `kg watch` share."""
    p.add_argument("--feed", action="append", metavar="URL|FILE", help="an RSS or Atom feed (repeatable)")
    p.add_argument("--urls", action="append", metavar="FILE", help="a file of URLs, one per line (repeatable)")
    p.add_argument("--gdelt", action="append", metavar="FILE",
                   help="a GDELT 2.1 GKG file (.csv or .csv.zip): its web documents are fetched (repeatable)")
    p.add_argument("--state", metavar="FILE", help="the fetch state store (default: data/intake/fetch-state.sqlite "
                                                   "beside the graph's data directory)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server's answer")
    p.add_argument("--per-host-interval", type=float, default=2.0,
                   help="seconds between two requests to one host (robots.txt Crawl-delay wins when longer)")
    p.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt (only for your own sites)")


def register(sub: Any) -> None:
    p = sub.add_parser("watch", help="poll feeds, URL lists or GDELT files again and again, ingesting what changed",
                       description="Poll the sources every --every (15m, 1h, ...), fetching only what changed "
                                   "(conditional GET), one line of progress per poll. Ctrl-C stops.")
    source_options(p)
    p.add_argument("--every", default="15m", help="time between polls (30s, 15m, 2h; default 15m)")
    p.add_argument("--polls", type=int, default=None, help="stop after N polls (default: run until stopped)")
    p.add_argument("--processes", type=int, default=1, help="spaCy worker processes")
    p.set_defaults(func=cmd_watch)
