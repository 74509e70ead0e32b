"""`kg watchlist add|list|remove|run`: option parsing only; intake/watchlists.py does the work."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.settings import Settings


def store(settings: Settings, path: str | None = None) -> Any:
    from intake.poll import default_state_path
    from intake.watchlists import WatchlistStore

    return WatchlistStore(Path(path) if path else default_state_path(settings).with_name("watchlists.sqlite"))


def run_all(settings: Settings, path: str | None = None) -> int:
    """Run every watchlist (after an ingest): one line each; nothing when there are none."""
    from kg.db import connect

    with store(settings, path) as watchlists:
        if not watchlists.all():
            return 0
        with connect(settings) as graph:
            results = watchlists.run_all(graph)
    for result in results:
        print(result.line())
    return sum(len(r.alerts) for r in results)


def cmd_watchlist(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import ValidationError

    from intake.watchlists import ALERT_KINDS, Watchlist

    with store(settings, args.store) as watchlists:
        if args.action == "add":
            if not args.name or not args.actor:
                raise KGError("kg watchlist add NAME --actor ACTOR [--actor ...]: give a name and at least one actor")
            try:
                watchlist = Watchlist(name=args.name, actors=args.actor, kinds=args.kind or [],
                                      min_reliability=args.min_reliability,
                                      alerts=args.alert or list(ALERT_KINDS), webhook=args.webhook)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise KGError(f"watchlist {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
            watchlists.add(watchlist)
            print(f"watchlist {watchlist.name} saved; alerts go to {watchlists.atom_dir / watchlist.name}.atom")
        elif args.action == "list":
            for w in watchlists.all():
                extra = [f"kinds {', '.join(w.kinds)}" if w.kinds else "",
                         f"reliability ≥ {w.min_reliability:g}" if w.min_reliability is not None else "",
                         f"webhook {w.webhook}" if w.webhook else ""]
                print(f"{w.name}: {', '.join(w.actors)}; alerts on {', '.join(w.alerts)}"
                      + "".join(f"; {x}" for x in extra if x))
        elif args.action == "remove":
            if not args.name:
                raise KGError("kg watchlist remove NAME: give the watchlist's name")
            if not watchlists.remove(args.name):
                raise KGError(f"no watchlist named {args.name!r}")
            print(f"watchlist {args.name} removed")
    if args.action == "run":
        from kg.db import connect

        with store(settings, args.store) as watchlists, connect(settings) as graph:
            chosen = [w for w in watchlists.all() if not args.name or w.name == args.name]
            if args.name and not chosen:
                raise KGError(f"no watchlist named {args.name!r}")
            for w in chosen:
                print(watchlists.run(graph, w).line())
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("watchlist", help="saved filters whose new facts, origins, conflicts and status changes "
                                         "become alerts (an Atom file per watchlist)",
                       description="kg watchlist add NAME --actor Alibaba [--kind distillation] [--min-reliability 40] "
                                   "[--alert fact --alert status] [--webhook URL]; kg watchlist list; kg watchlist "
                                   "remove NAME; kg watchlist run [NAME]. kg ingest --feed/--urls/--gdelt and kg "
                                   "watch run every watchlist after each poll.")
    p.add_argument("action", choices=["add", "list", "remove", "run"])
    p.add_argument("name", nargs="?", help="the watchlist's name (letters, digits, . _ -)")
    p.add_argument("--actor", action="append", help="add: an actor name or alias to follow (repeatable)")
    p.add_argument("--kind", action="append", help="add: only facts of this kind (repeatable)")
    p.add_argument("--min-reliability", type=float, help="add: only facts scoring at least this (0-100)")
    p.add_argument("--alert", action="append", choices=["fact", "origin", "conflict", "status"],
                   help="add: which changes alert (repeatable; default all four)")
    p.add_argument("--webhook", help="add: also POST new alerts as JSON to this URL")
    p.add_argument("--store", metavar="FILE", help="the watchlist store (default: data/intake/watchlists.sqlite)")
    p.set_defaults(func=cmd_watchlist)
