"""`python -m ingest.extract_cli FILE_OR_DIR ...`: one JSON line per article on stdout in the format
../shared/eval/score.py reads; errors and warnings (with their doc_id) on stderr.

Exit status: 0 when every document was extracted, 1 when some failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.pipeline import Extractor
from ingest.readers import DocumentError, read_documents
from ingest.score_format import to_score_record


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ingest.extract_cli", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path, help="JSON Lines, .txt or .html files, or directories")
    ap.add_argument("--model", default=None, help='spaCy model name or path, or "blank" for the fallback pipeline')
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--n-process", type=int, default=1)
    args = ap.parse_args(argv)

    extractor = Extractor.load(args.model)
    failed = 0
    for item in extractor.extract_many(read_documents(args.paths), batch_size=args.batch_size,
                                       n_process=args.n_process):
        if isinstance(item, DocumentError):
            print(str(item), file=sys.stderr)
            failed += not item.is_warning
            continue
        sys.stdout.write(json.dumps(to_score_record(item), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
