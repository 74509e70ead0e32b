"""Summaries of py-spy's raw (collapsed-stack) output: where each thread spends its samples.

For each thread, the inclusive share of samples (idle/waiting included) of the project's own functions
(kg/, ingest/) and of a few telling library frames: spaCy's Language.pipe, the extractor waiting on the
writer's full queue, the writer waiting on an empty one, either waiting on the graph server's socket.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
LIBRARY = {
    "Language.pipe": "spaCy nlp.pipe (model)",
    "Queue.put": "waiting: writer queue full",
    "Thread.join": "waiting: writer thread",
    "Queue.get": "waiting: extraction (queue empty)",
    "BoltSocketBase._wait_for_io": "waiting: graph server (socket)",
    "DateDataParser.get_date_data": "dateparser",
    "json.loads": "json.loads",
}


def available() -> bool:
    return shutil.which("py-spy") is not None or Path(".venv/bin/py-spy").exists()


def command() -> str:
    return shutil.which("py-spy") or str(Path(".venv/bin/py-spy").resolve())


def _thread(frames: list[str]) -> str:
    head = ";".join(frames[:6])
    if "drain (" in head:
        return "graph-writer thread"
    if "_run_module_as_main" in head:
        return "main thread"
    return "other threads"


def summarise(raw: Path, top: int = 12) -> list[str]:
    totals: Counter[str] = Counter()
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        thread = _thread(frames)
        n = int(count)
        totals[thread] += n
        seen: set[str] = set()
        for frame in frames:
            m = _FRAME.match(frame)
            if not m:
                continue
            func, file = m["func"], m["file"]
            name = None
            if func in LIBRARY:
                name = LIBRARY[func]
            elif (file.startswith(("kg/", "ingest/")) and "<lambda>" not in func
                  and func not in ("load", "ingest_paths", "load.<locals>.drain")):
                name = f"{func} ({file})"
            if name and name not in seen:
                seen.add(name)
                inclusive[thread][name] += n
    out = []
    for thread in sorted(totals, key=lambda t: -totals[t]):
        total = totals[thread]
        if total < 50:
            continue
        parts = ", ".join(f"{name} {100 * c / total:.0f}%" for name, c in inclusive[thread].most_common(top))
        out.append(f"{thread} ({total} samples): {parts}")
    return out
