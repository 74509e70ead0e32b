"""Generated article corpora for tests: good articles from templates, and hostile inputs (issue 9).

`python -m tests.corpus OUT_DIR` writes both, for looking at by hand.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ACCUSERS = ["OpenAI", "Anthropic", "Google DeepMind", "Microsoft", "Nvidia", "the White House"]
ACCUSED = ["DeepSeek", "Moonshot AI", "MiniMax", "Zhipu AI", "Baidu", "Tencent", "ByteDance", "Huawei"]
AGENCIES = ["the Commerce Department", "the Bureau of Industry and Security", "the Pentagon",
            "the Treasury Department", "the European Commission"]
CONDUCT = [
    ("distilling its models through thousands of fake accounts", "distillation"),
    ("illicitly accessing its systems", "unauthorized_access"),
    ("stealing trade secrets", "ip_theft"),
    ("smuggling advanced chips", "smuggling"),
]
ACTIONS = [
    ("added {t} to the Entity List", "entity_list"),
    ("imposed export restrictions on {t}", "restriction"),
    ("opened an investigation into {t}", "investigation"),
    ("sanctioned {t}", "sanction"),
]
FILLER = [
    "Analysts said the dispute could reshape the market for frontier models.",
    "The company did not immediately respond to a request for comment.",
    "Shares of several chip makers moved sharply on the news.",
    "Lawmakers have called for tighter controls on advanced semiconductors.",
]


def _day(rng: random.Random) -> date:
    return date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600))


def good_articles(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        published = _day(rng)
        accuser, accused = rng.choice(ACCUSERS), rng.choice(ACCUSED)
        conduct, _ = rng.choice(CONDUCT)
        agency, target = rng.choice(AGENCIES), rng.choice(ACCUSED)
        action, _ = rng.choice(ACTIONS)
        when = published - timedelta(days=rng.randrange(10, 40))
        acted = when + timedelta(days=rng.randrange(1, 9))
        sentences = [
            f"{accuser} accused {accused} of {conduct} on {when:%B} {when.day}, {when.year}.",
            f"On {acted:%B} {acted.day}, {acted.year}, {agency} {action.format(t=target)}.",
            rng.choice(FILLER),
            f"{accused} denied the allegations.",
            rng.choice(FILLER),
        ]
        out.append({"doc_id": f"gen-{i:04d}", "title": f"{accuser} accuses {accused}", "outlet": rng.choice(
            ["Reuters", "Bloomberg", "Financial Times", "Example Daily"]), "published": published.isoformat(),
            "url": f"https://news.example.com/{i}", "text": " ".join(sentences)})
    return out


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def hostile_files(root: Path) -> dict[str, Path]:
    """One file per kind of bad input; returns name -> path. Good articles go in good.jsonl."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        files[name] = root / name
        files[name].write_bytes(data)

    put("empty.txt", b"")
    put("whitespace.txt", b"   \n\t  \n")
    put("binary.txt", bytes(range(256)) * 40)
    put("latin1.txt", "Le ministère a accusé la société d'espionnage à Paris, dit-on. Über.".encode("latin-1"))
    put("utf16.txt", "OpenAI accused DeepSeek of distillation on March 3, 2026.".encode("utf-16"))
    put("huge.txt", ("OpenAI accused DeepSeek of distillation. " * 520_000).encode())  # ~20 MB
    put("bad-lines.jsonl", b'{"doc_id": "ok-1", "text": "Nvidia accused Huawei of smuggling chips on May 2, 2026."}\n'
                           b'{not json at all\n'
                           b'{"doc_id": "no-text", "title": "missing text"}\n'
                           b'{"doc_id": "ok-1", "text": "A duplicate doc id with other text."}\n'
                           b'{"doc_id": "future", "published": "2999-01-01", "text": "Anthropic accused MiniMax '
                           b'of distillation."}\n'
                           b'{"doc_id": "badpub", "published": "yesterday-ish", "text": "Tencent was sanctioned."}\n')
    put("scripts.html", b"<html><head><script>alert(1)</script></head><body><iframe src='x'></iframe>"
                        b"<script>document.title='pwned'</script></body></html>")
    put("french.txt", "Le gouvernement chinois a annoncé de nouvelles règles pour l'intelligence artificielle. "
                      "Les entreprises devront déclarer leurs modèles avant le 1er mars.".encode())
    put("dates.txt", b"OpenAI accused DeepSeek of distillation on February 30, 2026. In the year 20260 nothing "
                     b"happened. On 31/31/2026 either.")
    put("long-sentence.txt", ("Huawei " + "and the company " * 30_000 + "was sanctioned.").encode())
    put("controls.txt", b"Anthropic\x01 accused\x07 DeepSeek\x1b[31m of distillation\x0c on June 3, 2026.\x08")
    files["good.jsonl"] = write_jsonl(root / "good.jsonl", good_articles(3, seed=99))
    return files


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/corpus")
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "good-40.jsonl", good_articles(40))
    for name, path in hostile_files(out / "hostile").items():
        print(f"{name}: {path.stat().st_size} bytes")
