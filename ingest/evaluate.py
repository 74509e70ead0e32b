"""`python -m ingest.evaluate` (`kg evaluate`): 5-fold cross-validation by article over the dev set.

The folds are fixed (`ingest.relations.devset.folds`: every fold holds articles of every cluster); the
relation model is retrained on the other four folds for each held-out fold, so every article is
extracted by a model that never saw it. Rules and the gazetteer are not refitted per fold: they were
written with the dev set in view, so these figures are still an upper bound for unseen articles.
Prints per-field P/R/F1 (cross-validated, then rules alone for comparison) and the scorer's one-line
summary.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from ingest.pipeline import Extractor
from ingest.relations.devset import DEFAULT_DEV, folds, load_dev
from ingest.relations.training import DocExamples, TrainConfig, fit, label_documents
from ingest.score_format import to_score_record

DEFAULT_SCORER = DEFAULT_DEV.parent / "score.py"
FIELDS = ("actors", "allegations", "actions", "dated_events")


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("aigeo_dev_scorer", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"no scorer at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def summarise(scorer: ModuleType, golds: dict[str, dict[str, Any]], preds: dict[str, dict[str, Any]],
              texts: dict[str, str]) -> dict[str, Any]:
    """The scorer's micro-averaged figures (the same aggregation as its main())."""
    totals: dict[str, dict[str, Any]] = {}
    for doc_id, gold in golds.items():
        r = scorer.score_doc(gold, preds.get(doc_id, {}), texts.get(doc_id))
        for k, v in r.items():
            if k.startswith("_"):
                continue
            t = totals.setdefault(k, {})
            for kk in ("tp", "pred", "gold", "ok", "of"):
                if kk in v:
                    t[kk] = t.get(kk, 0) + v[kk]
            for kk in ("type_acc", "kind_acc", "date_acc"):
                if v.get(kk) is not None:
                    t.setdefault(kk + "_list", []).append(v[kk])
    out: dict[str, Any] = {}
    for k in FIELDS:
        t = totals.get(k, {"tp": 0, "pred": 0, "gold": 0})
        s = scorer.prf(t["tp"], t["pred"], t["gold"])
        for kk in ("type_acc", "kind_acc", "date_acc"):
            lst = t.get(kk + "_list")
            if lst:
                s[kk] = round(sum(lst) / len(lst), 3)
        out[k] = s
    g = totals.get("grounded")
    out["grounded"] = round(g["ok"] / g["of"], 3) if g and g["of"] else None
    return out


def per_pattern(scorer: ModuleType, golds: dict[str, dict[str, Any]], preds: dict[str, dict[str, Any]]
                ) -> dict[str, dict[str, dict[str, Any]]]:
    """field -> pattern -> precision and recall of the (head, tail) pairs that pattern's records give,
    matched like the scorer matches them (a pair two patterns both find counts for both)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for fld, head, tails in (("allegations", "accuser", "accused"), ("actions", "issuer", "targets")):
        found: dict[str, set[tuple[str, Any]]] = {}
        correct: dict[str, set[tuple[str, Any]]] = {}
        n_gold = 0
        for doc_id, gold in golds.items():
            pred = preds.get(doc_id, {})
            res = scorer.Resolver(gold.get("actors") or [])
            forms = scorer.pred_forms(pred.get("actors") or [])
            gold_keys = {k for k, _ in scorer.pairs(gold.get(fld) or [], head, tails, res, None)}
            n_gold += len(gold_keys)
            for item in pred.get(fld) or []:
                pattern = item.get("pattern") or "unknown"
                for k, _ in scorer.pairs([item], head, tails, res, forms):
                    found.setdefault(pattern, set()).add((doc_id, k))
                    if k in gold_keys:
                        correct.setdefault(pattern, set()).add((doc_id, k))
        out[fld] = {p: {"pred": len(found[p]), "tp": len(correct.get(p, ())),
                        "p": round(len(correct.get(p, ())) / len(found[p]), 3),
                        "r": round(len(correct.get(p, ())) / n_gold, 3) if n_gold else None}
                    for p in sorted(found)}
    return out


def _cell(value: float | None) -> str:
    return "-" if value is None else str(value)


def _pattern_table(patterns: dict[str, dict[str, dict[str, Any]]]) -> str:
    rows = ["per pattern (cross-validated; a pair found by two patterns counts for both)",
            f"{'pattern':<44}{'P':>7}{'R':>7}   tp/pred"]
    for fld, table in patterns.items():
        for p, s in table.items():
            # P or R is None when a pattern predicted nothing or its field has no gold items
            rows.append(f"{fld + ': ' + p:<44}{_cell(s['p']):>7}{_cell(s['r']):>7}   {s['tp']}/{s['pred']}")
    return "\n".join(rows)


def one_line(summary: dict[str, Any]) -> str:
    line = " ".join(f"{k}_f1={summary[k]['f1']}" for k in FIELDS)
    if summary.get("grounded") is not None:
        line += f" grounded={summary['grounded']}"
    return line


def _table(title: str, summary: dict[str, Any]) -> str:
    rows = [title, f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}   tp/pred/gold   extra"]
    for k in FIELDS:
        s = summary[k]
        extra = " ".join(f"{kk}={s[kk]}" for kk in ("type_acc", "kind_acc", "date_acc") if kk in s)
        rows.append(f"{k:<14}{s['p']:>7}{s['r']:>7}{s['f1']:>7}   {s['tp']}/{s['pred']}/{s['gold']}   {extra}")
    return "\n".join(rows)


def cross_validate(extractor: Extractor, examples: list[DocExamples], fold_ids: list[list[str]],
                   config: TrainConfig) -> dict[str, dict[str, Any]]:
    """doc_id -> score record, each extracted by the model trained without its fold."""
    by_id = {e.doc_id: e for e in examples}
    preds: dict[str, dict[str, Any]] = {}
    for held in fold_ids:
        train = [e for e in examples if e.doc_id not in held]
        model = fit(train, config)
        for doc_id in held:
            preds[doc_id] = _predict(extractor, by_id[doc_id], model)
    return preds


def _predict(extractor: Extractor, ex: DocExamples, model: Any) -> dict[str, Any]:
    roles = ex.__dict__.setdefault("_roles", set(ex.analysis.ctx.actors.in_role))
    ex.analysis.ctx.actors.in_role = set(roles)  # each run starts from what the rules marked
    return to_score_record(extractor.finish(ex.analysis, model))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kg evaluate", description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev set directory (articles.jsonl, gold/)")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="the dev set's score.py")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--pred-out", type=Path, help="write the cross-validated predictions (score.py format)")
    args = ap.parse_args(argv)
    try:
        docs = load_dev(args.dev)
        scorer = load_scorer(args.scorer)
    except (OSError, ValueError) as e:
        print(f"kg evaluate: {e}", file=sys.stderr)
        return 2
    config = TrainConfig()
    extractor = Extractor.load()
    examples = label_documents(extractor, docs)
    golds = {d.doc_id: d.gold for d in docs}
    texts = {d.doc_id: d.article.text for d in docs}
    fold_ids = folds(docs)
    cv = cross_validate(extractor, examples, fold_ids, config)
    rules = {e.doc_id: _predict(extractor, e, None) for e in examples}
    seeds = [d for d in golds if d.startswith("s")]
    result: dict[str, Any] = {
        "cross_validated": summarise(scorer, golds, cv, texts),
        "cross_validated_seeds": summarise(scorer, {d: golds[d] for d in seeds}, cv, texts),
        "rules_only": summarise(scorer, golds, rules, texts),
        "per_pattern": per_pattern(scorer, golds, cv),
        "folds": fold_ids,
    }
    if args.pred_out:
        args.pred_out.write_text("".join(json.dumps(cv[d], ensure_ascii=False) + "\n" for d in sorted(cv)),
                                 encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(_table("rules only (no relation model)", result["rules_only"]))
        print()
        print(_table("seeds s00-s04, cross-validated", result["cross_validated_seeds"]))
        print()
        print(_pattern_table(result["per_pattern"]))
        print()
        print(_table(f"{len(fold_ids)}-fold cross-validation by article", result["cross_validated"]))
        print(one_line(result["cross_validated"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
