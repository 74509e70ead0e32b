"""`kg curate merge|split|same|not-same|unsure|reject|confirm|link|unlink|undo|log|suggest|export|import`:
option parsing only; kg/curation.py records and applies the judgements, kg/suggest.py ranks candidate merges."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.settings import Settings

_ACTOR_KINDS = {"merge": "same", "same": "same", "not-same": "not_same", "unsure": "unsure"}


def _need(args: argparse.Namespace, n: int, usage: str) -> list[str]:
    if len(args.names) != n:
        raise KGError(f"usage: kg curate {usage}")
    return list(args.names)


def curator_name(args: argparse.Namespace, settings: Settings) -> str:
    return args.curator or settings.curator or getpass.getuser()


def cmd_curate(args: argparse.Namespace, settings: Settings) -> int:
    from kg.curation import Curator
    from kg.db import connect
    from ontology.models import JudgementKind

    with connect(settings) as graph:
        cur = Curator(graph)
        who = curator_name(args, settings)
        action = args.action
        if action in _ACTOR_KINDS:
            a, b = _need(args, 2, f"{action} ACTOR ACTOR")
            print(cur.judge_actors(JudgementKind(_ACTOR_KINDS[action]), a, b, who, args.note or "").line())
        elif action == "split":
            (a,) = _need(args, 1, "split ACTOR")
            print(cur.split(a, who).line())
        elif action in ("reject", "confirm"):
            (fact,) = _need(args, 1, f"{action} FACT_ID [--note TEXT]")
            print(cur.verdict(JudgementKind("confirmed" if action == "confirm" else "rejected"), fact, who,
                              args.note or "").line())
        elif action == "link":
            a, b = _need(args, 2, "link FACT_A FACT_B --kind led_to|responds_to [--note TEXT]")
            if not args.kind:
                raise KGError("usage: kg curate link FACT_A FACT_B --kind led_to|responds_to [--note TEXT]")
            print(cur.link(a, b, JudgementKind(args.kind), who, args.note or "").line())
        elif action == "unlink":
            a, b = _need(args, 2, "unlink FACT_A FACT_B [--kind led_to|responds_to] [--note TEXT]")
            print(cur.unlink(a, b, who, JudgementKind(args.kind) if args.kind else None, args.note or "").line())
        elif action == "undo":
            (jid,) = _need(args, 1, "undo JUDGEMENT_ID")
            print(cur.undo(jid, who).line())
        elif action == "log":
            _need(args, 0, "log")
            for j in cur.log():
                state = f"  [undone {j.deleted_at:%Y-%m-%d %H:%M} by {j.deleted_by}]" if j.deleted_at else ""
                note = f"  “{j.note}”" if j.note else ""
                print(f"{j.id}  {j.created_at:%Y-%m-%d %H:%M}  {j.curator}  {cur.summary(j)}{note}{state}")
        elif action == "export":
            _need(args, 0, "export [-o FILE]")
            lines = cur.export_lines()
            text = "".join(line + "\n" for line in lines)
            if args.output:
                Path(args.output).write_text(text, encoding="utf-8")
                print(f"exported {len(lines)} judgements to {args.output}")
            else:
                sys.stdout.write(text)
        elif action == "import":
            (path,) = _need(args, 1, "import FILE.jsonl")
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise KGError(f"cannot read {path}: {exc.strerror}") from None
            print(cur.import_lines(lines, source=path).line())
        elif action == "suggest":
            from kg.suggest import suggest

            _need(args, 0, "suggest [--limit N] [--json]")
            found = suggest(graph, limit=args.limit)
            if args.json:
                print(json.dumps([s.model_dump() for s in found], indent=2, ensure_ascii=False))
            for s in found if not args.json else []:
                print(f"{s.score:5.1f}  {s.a_name} ({s.a})  ~  {s.b_name} ({s.b})  — {'; '.join(s.reasons)}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "curate", help="merge or split actors, reject or confirm facts; decisions are data that survive re-ingest",
        description="kg curate merge A B | split A | not-same A B | unsure A B | reject FACT [--note TEXT] | "
                    "confirm FACT | link FACT_A FACT_B --kind led_to|responds_to | unlink FACT_A FACT_B [--kind K] | "
                    "undo JUDGEMENT | log | suggest [--limit N] | export [-o FILE] | import FILE. "
                    "Actors are given by name, alias or id; every decision records who (--curator, KG_CURATOR, "
                    "or your login name), when and the note, and can be undone. A link goes from FACT_A to FACT_B: "
                    "the allegation FACT_A led to the action FACT_B; the denial FACT_A responds to FACT_B.")
    p.add_argument("action", choices=["merge", "same", "split", "not-same", "unsure", "reject", "confirm", "link",
                                      "unlink", "undo", "log", "suggest", "export", "import"])
    p.add_argument("names", nargs="*", help="the actors, fact, judgement or file the action names")
    p.add_argument("--note", help="why (kept with the judgement)")
    p.add_argument("--curator", help="who decides (default: KG_CURATOR, else your login name)")
    p.add_argument("--kind", choices=["led_to", "responds_to"], help="link, unlink: LED_TO or RESPONDS_TO")
    p.add_argument("--limit", type=int, default=20, help="suggest: how many candidate pairs (default 20)")
    p.add_argument("--json", action="store_true", help="suggest: print JSON")
    p.add_argument("-o", "--output", help="export: write to this file instead of standard output")
    p.set_defaults(func=cmd_curate)
