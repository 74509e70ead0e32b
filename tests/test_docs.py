"""The README stays true (the datasette habit): every command its command-line block lists exists and
answers --help, and every `KG_`/`NEO4J_` setting it names is one the settings read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[list[str]]:
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    out = []
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("kg "):
            words = [w for w in line.split()[1:3] if re.fullmatch(r"[a-z]+", w)]
            out.append(words[:2] if words[:1] in (["query"], ["server"]) else words[:1])
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_documented_command_answers_help(command: list[str]) -> None:
    if command[:1] == ["server"]:
        command = ["server"]
    done = subprocess.run([sys.executable, "-m", "kgcli", *command, "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_the_command_list_covers_the_extraction_commands() -> None:
    assert {"train", "evaluate", "extract", "ingest", "load", "reextract"} <= {c[0] for c in _commands()}


def test_every_subcommand_is_documented() -> None:
    import argparse

    from kgcli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    documented = {c[0] for c in _commands()}
    missing = sorted(set(sub.choices) - documented)
    assert not missing, f"subcommands missing from the README's command-line block: {missing}"


def test_documented_settings_exist() -> None:
    files = [*(ROOT / "kg").rglob("*.py"), ROOT / "ingest" / "pipeline.py"]
    source = "".join(p.read_text(encoding="utf-8") for p in files)
    prefixes = re.findall(r'env_prefix="([A-Z_]+)"', source)
    for name in sorted(set(re.findall(r"\b(KG_[A-Z_]+|NEO4J_[A-Z_]+)\b", README))):
        by_prefix = any(name.startswith(p) and re.search(rf"\b{name[len(p):].lower()}\s*:", source)
                        for p in prefixes)
        assert name in source or by_prefix, f"README names {name}, which no setting reads"
