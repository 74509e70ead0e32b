"""`kg watch`: poll the sources again every so often, one line of progress per poll."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from intake.poll import Poller, PollSummary, Source
from jobs.runner import Runner
from kg.settings import Settings

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """'15m' → 900.0; also 30s, 2h, 1d, or plain seconds."""
    match = _EVERY.match(text.lower())
    if not match or float(match[1]) <= 0:
        raise ValueError(f"not a duration: {text!r} (say 30s, 15m, 2h or 1d)")
    return float(match[1]) * _UNIT[match[2]]


def watch(settings: Settings, poller: Poller, sources: list[Source], every_s: float, polls: int | None = None,
          runner: Runner | None = None, out: TextIO = sys.stdout, sleep: Callable[[float], None] = time.sleep,
          after_poll: Callable[[], object] | None = None) -> list[PollSummary]:
    """Poll `polls` times (forever when None), `every_s` apart from one poll's start to the next's; after each
    poll, `after_poll` (the watchlists) runs."""
    done: list[PollSummary] = []
    number = 0
    while polls is None or number < polls:
        number += 1
        started = time.monotonic()
        summary = poller.poll(settings, sources, runner)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.write(f"poll {number} at {stamp}: {summary.line()}\n")
        out.flush()
        if after_poll is not None:
            after_poll()
        if polls is None:  # a watch that runs for weeks keeps no history of its polls in memory
            done = [summary]
        else:
            done.append(summary)
        if polls is None or number < polls:
            sleep(max(0.0, every_s - (time.monotonic() - started)))
    return done
