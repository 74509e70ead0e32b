"""`kg export` and `kg import`: option parsing only; the work is in kg/export/ (files.py, rdf_import.py)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.settings import Settings

FORMATS = ("turtle", "jsonld", "csv", "timelinejs", "claimreview", "neo4j-import")


def _since(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD") from exc


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from kg.db import connect
    from kg.export import export

    if not (args.output or args.directory):
        raise KGError("kg export: give the output file or directory (-o PATH)")
    out = Path(args.output or args.directory)
    if args.format == "neo4j-import":
        from kg.export.neo4j_import import export_neo4j_import

        if args.actor or args.since:
            raise KGError("--format neo4j-import writes the whole graph (a first load): no --actor or --since")
        with connect(settings) as graph:
            print(export_neo4j_import(graph, out, database=settings.neo4j_database).line())
        return 0
    if args.format in ("turtle", "jsonld", "timelinejs", "claimreview") and out.is_dir():
        raise KGError(f"-o {out} is a directory: give a file name (e.g. {out / ('kg.' + _suffix(args.format))})")
    with connect(settings) as graph:
        result = export(graph, args.format, out, actor=args.actor, since=args.since, include_text=not args.no_text,
                        include_rejected=args.include_rejected)
    print(result.line())
    return 0


def _suffix(fmt: str) -> str:
    return {"turtle": "ttl", "jsonld": "jsonld", "timelinejs": "json", "claimreview": "jsonld"}.get(fmt, "csv")


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from kg.db import connect
    from kg.export.rdf_import import import_rdf

    path = Path(args.file)
    if not path.is_file():
        raise KGError(f"no such file: {path}")
    with connect(settings) as graph:
        result = import_rdf(graph, path)
    print(result.line())
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="export the graph: turtle, jsonld, csv, timelinejs, claimreview or neo4j-import",
        description="Export the graph (or one actor's facts, or facts from a date on) for other tools: "
                    "RDF under the project ontology (turtle, jsonld; SHACL-valid, re-importable with kg import), "
                    "CSV per fact type (a directory, or a .zip), a TimelineJS timeline, or schema.org "
                    "ClaimReview items for allegations, or the whole graph as neo4j-admin import files "
                    "(neo4j-import, a directory; the import command is printed). "
                    "Example: kg export --format timelinejs --actor Anthropic "
                    "-o timeline.json",
    )
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="output format")
    p.add_argument("--actor", help="only facts this actor (name, alias or id) takes part in or is named in")
    p.add_argument("--since", type=_since,
                   help="only facts whose date reaches YYYY-MM-DD or later (undated facts are left out)")
    p.add_argument("--include-rejected", action="store_true",
                   help="also export the facts a curator rejected (their verdict is in their properties)")
    p.add_argument("--no-text", action="store_true",
                   help="turtle/jsonld: leave out the full article texts (evidence sentences stay)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="output file; for csv a directory, or a file ending in .zip; for neo4j-import a directory")
    p.add_argument("directory", nargs="?", metavar="PATH", help="the output, given without -o")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", help="load a turtle/jsonld export into an empty graph",
        description="Read an RDF export written by `kg export --format turtle` (or jsonld) into an EMPTY graph, "
                    "reproducing its actors, articles, outlets, facts, evidence and conflicts with the same ids.",
    )
    p.add_argument("file", metavar="FILE.ttl", help="a Turtle (.ttl) or JSON-LD (.jsonld) export")
    p.set_defaults(func=cmd_import)
