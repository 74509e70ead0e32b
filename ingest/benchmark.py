"""Throughput of the extraction pipeline as a ratio to bare `nlp.pipe` on the same texts.

    python -m ingest.benchmark [FILE.jsonl ...] [--repeat N] [--batch-size B]

"Bare" is the stock English model loaded the same way, piped over the same texts with the same batch
size, and nothing else. "End to end" is `Extractor.extract_many` over the same articles: the extra
components, every extractor and the pydantic validation of each Extraction. The report is a ratio of
characters per second (end to end / bare); 1.0 means the extraction costs nothing beyond the model.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import spacy

from ingest.pipeline import MODEL_PACKAGE, Extractor, _package_path
from ingest.readers import read_documents
from ontology.models import ArticleRecord

DEFAULT_INPUT = Path(__file__).resolve().parents[1] / "data" / "samples" / "articles.jsonl"


def _articles(paths: Sequence[Path], repeat: int) -> list[ArticleRecord]:
    base = [a for a in read_documents(paths) if isinstance(a, ArticleRecord)]
    return [a.model_copy(update={"doc_id": f"{a.doc_id}#{i}"}) for i in range(repeat) for a in base]


def run(paths: Sequence[Path], repeat: int = 20, batch_size: int = 32, rounds: int = 3) -> dict[str, float]:
    articles = _articles(paths, repeat)
    texts = [a.text for a in articles]
    chars = sum(len(t) for t in texts)
    bare = spacy.load(_package_path(MODEL_PACKAGE))
    extractor = Extractor.load()
    for _ in bare.pipe(texts[:8], batch_size=batch_size):  # warm-up
        pass
    list(extractor.extract_many(articles[:8], batch_size=batch_size))
    bare_t: list[float] = []
    full_t: list[float] = []
    bare_cpu: list[float] = []
    full_cpu: list[float] = []
    for _ in range(rounds):  # interleaved, best of N: the machine's other load hits both alike
        t0, c0 = time.perf_counter(), time.process_time()
        for _doc in bare.pipe(texts, batch_size=batch_size):
            pass
        bare_t.append(time.perf_counter() - t0)
        bare_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        n = sum(1 for _x in extractor.extract_many(articles, batch_size=batch_size))
        full_t.append(time.perf_counter() - t0)
        full_cpu.append(time.process_time() - c0)
        assert n == len(articles)
    b, f = min(bare_t), min(full_t)
    bc, fc = min(bare_cpu), min(full_cpu)
    return {"articles": float(len(articles)), "chars": float(chars), "bare_s": b, "end_to_end_s": f,
            "bare_chars_per_s": chars / b, "end_to_end_chars_per_s": chars / f, "ratio": b / f,
            "bare_cpu_s": bc, "end_to_end_cpu_s": fc, "cpu_ratio": bc / fc}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ingest.benchmark", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_INPUT])
    ap.add_argument("--repeat", type=int, default=20, help="copies of the input (default 20)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=3, help="best of N rounds (default 3)")
    args = ap.parse_args(argv)
    r = run(args.paths, args.repeat, args.batch_size, args.rounds)
    print(f"articles: {int(r['articles'])}, characters: {int(r['chars']):,}")
    print(f"bare nlp.pipe:  {r['bare_s']:.2f} s  ({r['bare_chars_per_s']:,.0f} chars/s)")
    print(f"end to end:     {r['end_to_end_s']:.2f} s  ({r['end_to_end_chars_per_s']:,.0f} chars/s)")
    print(f"ratio (end to end / bare throughput): {r['ratio']:.3f} wall clock, {r['cpu_ratio']:.3f} CPU time "
          f"({r['bare_cpu_s']:.2f} s / {r['end_to_end_cpu_s']:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
