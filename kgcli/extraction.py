"""`kg train` and `kg evaluate`: the extraction's own commands, registered on the `kg` command line.
Each forwards its arguments to the module that does the work (`python -m ingest.train` /
`python -m ingest.evaluate` take the same ones)."""

from __future__ import annotations

import argparse
from typing import Any


def _forward(module: str) -> Any:
    def run(args: argparse.Namespace, settings: Any) -> int:
        import importlib

        main = importlib.import_module(module).main
        return int(main(list(args.rest)))

    return run


def register(sub: Any) -> None:
    for name, module, text in (
        ("train", "ingest.train", "fit the relation and actor models on the dev set (writes ingest/models/)"),
        ("evaluate", "ingest.evaluate", "5-fold cross-validation by article over the dev set"),
    ):
        p = sub.add_parser(name, help=text, description=f"{text} (see kg {name} --help)",
                           add_help=False, prefix_chars="+")
        p.add_argument("rest", nargs="*", help=f"options of python -m {module}")
        p.set_defaults(func=_forward(module))
