"""`python -m ingest.train` (`kg train`): fit the relation and actor models on the whole dev set and
write `ingest/models/relations.json` (plain JSON weights, read at inference without scikit-learn).

Deterministic: fixed folds, fixed seed, the same JSON for the same dev set and code. About a minute
on one CPU, most of it parsing the 45 articles.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.pipeline import Extractor
from ingest.relations.devset import DEFAULT_DEV, load_dev
from ingest.relations.model import DEFAULT_PATH
from ingest.relations.training import TrainConfig, fit, label_documents


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kg train", description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev set directory (articles.jsonl, gold/)")
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_PATH, help="where to write the model")
    args = ap.parse_args(argv)
    try:
        docs = load_dev(args.dev)
    except (OSError, ValueError) as e:
        print(f"kg train: {e}", file=sys.stderr)
        return 2
    # (labelling reads only what the rules find: a model already on disk does not train its successor)
    model = fit(label_documents(Extractor.load(), docs), TrainConfig())
    model.to_disk(args.out)
    n = sum(len(m.weights[c]) for ms in model.models.values() for m in ms.values() for c in m.weights)
    print(f"kg train: {len(docs)} articles, {n:,} weights -> {args.out}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
