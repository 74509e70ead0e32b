"""The `kg` command: parses options and calls `jobs`, `kg.queries`, `kg.server`; the packages do the work."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kg.errors import KGError
from kg.settings import Settings, get_settings


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def cmd_server(args: argparse.Namespace, settings: Settings) -> int:
    from kg import server

    if args.action == "start":
        info = server.start(settings)
        what = "already running" if info.get("already_running") else "started"
        print(f"graph server {what}: {info.get('uri')} (database {info.get('database')}, pid {info.get('pid')})")
        if args.schema:
            from kg.db import connect
            from kg.schema import apply_schema

            with connect(settings) as graph:
                n = apply_schema(graph)
            print(f"schema: {n} constraints and indexes in place")
    elif args.action == "stop":
        stopped = server.stop(settings)
        print("graph server stopped" if stopped else "graph server was not running")
    else:
        info = server.status(settings)
        if args.json:
            _print_json(info)
        elif not info.get("running"):
            print(f"graph server not running (data in {info.get('data_dir')})")
            return 3
        else:
            where = info.get("uri")
            print(f"graph server running at {where}, database {info.get('database')}: "
                  f"{info.get('nodes')} nodes, {info.get('relationships')} relationships")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from kg.db import connect
    from kg.schema import apply_schema

    with connect(settings) as graph:
        n = apply_schema(graph)
    print(f"schema: {n} constraints and indexes in place")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Knowledge-graph timeline of AI geopolitics: extract, ingest, query, export, serve the app.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("server", help="start, stop or inspect the local graph server (ArcadeDB over Bolt)",
                       description="Manage the embedded graph server. Ignored when NEO4J_URI points at a Neo4j server.")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--schema", action="store_true", help="with start: also create constraints and indexes")
    p.add_argument("--json", action="store_true", help="with status: print JSON")
    p.set_defaults(func=cmd_server)

    p = sub.add_parser("schema", help="create the constraints and indexes (idempotent)",
                       description="Create the constraints and indexes generated from the ontology.")
    p.set_defaults(func=cmd_schema)

    for register in _REGISTRARS:
        register(sub)
    return parser


def _registrars() -> list[Callable[[Any], None]]:
    from kg import export_cli
    from kgcli import commands, curate, extraction, intake, watchlist

    return [commands.register, intake.register, watchlist.register, curate.register, export_cli.register,
            extraction.register]


_REGISTRARS = _registrars()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args, get_settings()))
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
