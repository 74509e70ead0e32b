"""One measured ingest run in its own process (so its peak RSS is its own): prints one JSON line.

    python -m bench.ingest_child bare    PATH --processes N   # spaCy model alone: nlp.pipe over the texts
    python -m bench.ingest_child project PATH --processes N   # the project's nlp object (model + components)
    python -m bench.ingest_child ingest  PATH --processes N   # kg ingest's path: read -> extract -> write
    python -m bench.ingest_child extract PATH --processes N   # read -> extract, nothing written (the scale part)
    python -m bench.ingest_child ray-extract PATH --workers N [--records OUT]  # the same on N local Ray actors
    python -m bench.ingest_child ray-ingest  PATH --workers N   # kg ingest --runner ray: N actors, the one writer
    python -m bench.ingest_child load RECORDS                   # kg load: the writer alone, records replayed

The graph server is taken from KG_DATA_DIR / KG_BOLT_PORT / KG_HTTP_PORT. Times exclude model loading.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    """VmHWM of this process (peak resident set), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Largest peak RSS among waited-for children (spaCy worker processes when n_process > 1)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def texts(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"]


def run_bare(path: Path, processes: int, batch_size: int, project: bool) -> dict[str, Any]:
    import spacy

    from ingest.pipeline import MODEL_PACKAGE, Extractor, _package_path

    t0 = time.perf_counter()
    # the project's text stage: the model, the sentence hints and the gazetteer (not the article components)
    ex = Extractor.load() if project else None
    nlp = ex.nlp if ex is not None else spacy.load(_package_path(MODEL_PACKAGE))
    disable = ex.article_pipes if ex is not None else []
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = tokens = 0
    for doc in nlp.pipe(texts(path), batch_size=batch_size, n_process=processes, disable=disable):
        n += 1
        tokens += len(doc)
    return {"articles": n, "tokens": tokens, "seconds": time.perf_counter() - t0, "load_seconds": load_s,
            "pipes": nlp.pipe_names}


def run_extract(path: Path, processes: int, batch_size: int) -> dict[str, Any]:
    """kg ingest's path without the graph: how much of the ingest time is extraction itself."""
    from ingest.pipeline import Extractor
    from ingest.readers import read_documents

    extractor = Extractor.load()
    t0 = time.perf_counter()
    n = 0
    for _ in extractor.extract_many(read_documents([path]), n_process=processes, batch_size=batch_size):
        n += 1
    return {"articles": n, "seconds": time.perf_counter() - t0}


def run_ray_extract(path: Path, workers: int, records: Path | None) -> dict[str, Any]:
    """Extraction on `workers` actors of a local Ray instance; actor start and pipeline loads excluded."""
    from ingest.readers import read_documents
    from jobs.ray_runner import RayRunner
    from jobs.records import write_record
    from ontology.models import Extraction

    with RayRunner(workers=workers) as runner:
        t0 = time.perf_counter()
        runner.start()
        load_s = time.perf_counter() - t0
        out = records.open("w", encoding="utf-8") if records else None
        t0 = time.perf_counter()
        n = failed = 0
        for item in runner.extract(read_documents([path])):
            n += 1
            if isinstance(item, Extraction):
                if out is not None:
                    write_record(item, out)
            else:
                failed += 1
        seconds = time.perf_counter() - t0
        if out is not None:
            out.close()
        return {"articles": n, "failed": failed, "seconds": seconds, "load_seconds": load_s,
                "retried": runner.stats.retried}


def run_ray_ingest(path: Path, workers: int) -> dict[str, Any]:
    from jobs.ray_runner import RayRunner
    from jobs.stages import ingest_paths
    from kg.settings import Settings

    with RayRunner(workers=workers) as runner:
        runner.start()
        summary = ingest_paths(Settings(), [path], runner=runner, progress=None, errors=None)
    return {"articles": summary.articles, "new": summary.new, "failed": summary.failed,
            "seconds": summary.seconds, "nodes_added": summary.nodes_added}


def run_load(path: Path) -> dict[str, Any]:
    from jobs.stages import load_records
    from kg.settings import Settings

    summary = load_records(Settings(), [path], progress=None, errors=None)
    return {"articles": summary.articles, "new": summary.new, "failed": summary.failed, "seconds": summary.seconds}


def run_ingest(path: Path, processes: int, batch_size: int) -> dict[str, Any]:
    from jobs.stages import ingest_paths
    from kg.settings import Settings

    t0 = time.perf_counter()
    summary = ingest_paths(Settings(), [path], processes=processes, batch_size=batch_size, progress=None,
                           errors=None)
    total = time.perf_counter() - t0
    return {"articles": summary.articles, "new": summary.new, "failed": summary.failed,
            "failures": summary.failures[:3], "seconds": summary.seconds, "total_seconds": total,
            "nodes_added": summary.nodes_added, "relationships_added": summary.relationships_added}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["bare", "project", "extract", "ingest", "ray-extract", "ray-ingest", "load"])
    p.add_argument("path", type=Path)
    p.add_argument("--processes", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--records", type=Path)
    args = p.parse_args(argv)
    if args.mode == "ray-extract":
        out = run_ray_extract(args.path, args.workers, args.records)
    elif args.mode == "ray-ingest":
        out = run_ray_ingest(args.path, args.workers)
    elif args.mode == "load":
        out = run_load(args.path)
    elif args.mode == "ingest":
        out = run_ingest(args.path, args.processes, args.batch_size)
    elif args.mode == "extract":
        out = run_extract(args.path, args.processes, args.batch_size)
    else:
        out = run_bare(args.path, args.processes, args.batch_size, project=args.mode == "project")
    out.update(mode=args.mode, processes=args.processes, peak_rss_mb=peak_rss_mb(),
               children_peak_rss_mb=children_peak_rss_mb())
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
