"""Readers: JSON Lines, text and HTML files, directories, and every way a document can be broken."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

import ingest.readers as readers
from ingest.readers import DocumentError, read_documents
from ontology.models import ArticleRecord

TEXT = "The ministry announced new export rules for advanced chips on Monday."


def read(*paths: Path) -> tuple[list[ArticleRecord], list[DocumentError]]:
    arts: list[ArticleRecord] = []
    errs: list[DocumentError] = []
    for item in read_documents(paths):
        (arts if isinstance(item, ArticleRecord) else errs).append(item)  # type: ignore[arg-type]
    return arts, errs


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_jsonl_fields(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "a.jsonl", [{"doc_id": "x1", "text": TEXT, "title": "Rules", "outlet": "Wire",
                                            "published": "2024-05-02", "url": "https://example.org/x1"}])
    (a,), errs = read(p)
    assert errs == []
    assert (a.doc_id, a.title, a.outlet, a.published, a.url) == ("x1", "Rules", "Wire", date(2024, 5, 2),
                                                                 "https://example.org/x1")
    assert a.source_path and a.source_path.endswith("a.jsonl:1")


def test_jsonl_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "b.jsonl", [
        {"doc_id": "ok1", "text": TEXT},
        "{not json",
        {"doc_id": "notext", "title": "no body"},
        {"doc_id": "ok1", "text": "A second article reusing the id."},
        {"doc_id": "blank", "text": "   \n\t "},
        "[1, 2]",
        {"doc_id": "ok2", "text": TEXT},
    ])
    arts, errs = read(p)
    assert [a.doc_id for a in arts] == ["ok1", "ok2"]
    assert arts[0].text == TEXT  # the first of the duplicates is kept
    reasons = {e.doc_id_or_path.split("/")[-1]: e.reason for e in errs}
    assert "not JSON" in reasons["b.jsonl:2"]
    assert "`text`" in reasons["notext"]
    assert "duplicate doc_id" in reasons["ok1"]
    assert "empty" in reasons["blank"]
    assert "not an object" in reasons["b.jsonl:6"]
    assert all(e.level == "error" for e in errs)
    assert "notext" in str(next(e for e in errs if e.doc_id == "notext"))


def test_published_in_the_future_or_unparseable_is_dropped_with_a_warning(tmp_path: Path) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    p = write_jsonl(tmp_path / "c.jsonl", [{"doc_id": "f", "text": TEXT, "published": future},
                                           {"doc_id": "g", "text": TEXT, "published": "yesterday-ish"},
                                           {"doc_id": "h", "text": TEXT, "published": "2024-02-30"}])
    items = list(read_documents([p]))
    arts = [i for i in items if isinstance(i, ArticleRecord)]
    warns = [i for i in items if isinstance(i, DocumentError)]
    assert [a.published for a in arts] == [None, None, None]
    assert [w.level for w in warns] == ["warning"] * 3 and all(w.is_warning for w in warns)
    assert "future" in warns[0].reason and warns[0].doc_id == "f"
    # the warning comes just before its article
    assert items.index(warns[0]) + 1 == items.index(arts[0])


def test_control_characters_are_stripped(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "d.jsonl", [{"doc_id": "c", "text": "Line one\u0007 here.\r\nLine\u0000 two.\tTabbed"}])
    (a,), _ = read(p)
    assert a.text == "Line one here.\nLine two.\tTabbed"


def test_text_file_encodings(tmp_path: Path) -> None:
    (tmp_path / "utf8.txt").write_bytes("Café owners said “no”.".encode())
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbf" + "Zürich officials said.".encode())
    (tmp_path / "bom16.txt").write_bytes("Tokyo officials said.".encode("utf-16"))
    (tmp_path / "win.txt").write_bytes("The minister said \u201cno\u201d to the d\u00e9al.".encode("cp1252"))
    arts, errs = read(tmp_path / "utf8.txt", tmp_path / "bom8.txt", tmp_path / "bom16.txt", tmp_path / "win.txt")
    assert errs == []
    by_id = {a.doc_id: a.text for a in arts}
    assert by_id == {"utf8": "Café owners said “no”.", "bom8": "Zürich officials said.",
                     "bom16": "Tokyo officials said.", "win": "The minister said “no” to the déal."}


def test_broken_text_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "spaces.txt").write_bytes(b"  \n \t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "garbage.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20)
    arts, errs = read(*(tmp_path / n for n in ("empty.txt", "spaces.txt", "binary.txt", "garbage.txt")))
    assert arts == []
    reasons = {Path(e.doc_id_or_path).stem: e.reason for e in errs}
    assert "empty" in reasons["empty"] and "empty" in reasons["spaces"]
    assert "binary" in reasons["binary"]
    assert "UTF-8" in reasons["garbage"]


def test_huge_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_TEXT_CHARS", 100)
    (tmp_path / "big.txt").write_text("word " * 50, encoding="utf-8")
    arts, (err,) = read(tmp_path / "big.txt")
    assert arts == [] and "limit" in err.reason and err.doc_id == "big"


def test_html_uses_trafilatura_metadata(tmp_path: Path) -> None:
    body = " ".join(["The trade ministry said on Tuesday it would review licences for chip exports."] * 4)
    html = f"""<html><head><title>Chip review</title>
    <meta property="og:site_name" content="Example Wire"><meta name="date" content="2024-03-05"></head>
    <body><nav>Home | World</nav><article><h1>Ministry reviews chip licences</h1><p>{body}</p></article>
    <footer>Copyright</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (a,), errs = read(tmp_path / "page.html")
    assert errs == []
    assert a.doc_id == "page" and a.outlet == "Example Wire" and a.published == date(2024, 3, 5)
    assert "licences for chip exports" in a.text and "Copyright" not in a.text
    assert a.title == "Ministry reviews chip licences"


def test_html_without_article_text(tmp_path: Path) -> None:
    (tmp_path / "nav.htm").write_text("<html><head><title>Empty</title></head><body><div></div></body></html>",
                                      encoding="utf-8")
    arts, (err,) = read(tmp_path / "nav.htm")
    assert arts == [] and "no article text" in err.reason


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text(TEXT + " Again.", encoding="utf-8")
    write_jsonl(tmp_path / "b" / "d.jsonl", [{"doc_id": "d1", "text": TEXT}])
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    arts, errs = read(tmp_path)
    assert [a.doc_id for a in arts] == ["a", "c", "d1"]
    assert [e.level for e in errs] == ["warning"] and "unsupported" in errs[0].reason


def test_missing_path(tmp_path: Path) -> None:
    arts, (err,) = read(tmp_path / "nope.jsonl")
    assert arts == [] and "no such file" in err.reason


def test_dateline_supplies_a_missing_publication_date(tmp_path: Path) -> None:
    (tmp_path / "dl.txt").write_text("SEOUL, April 2, 2024 – The ministry said on Tuesday it would act.",
                                     encoding="utf-8")
    p = write_jsonl(tmp_path / "dl.jsonl", [{"doc_id": "given", "published": "2024-01-09",
                                             "text": "SEOUL, April 2, 2024 – The ministry said it would act."}])
    arts, _ = read(tmp_path / "dl.txt", p)
    assert [a.published for a in arts] == [date(2024, 4, 2), date(2024, 1, 9)]


def test_a_non_english_article_is_kept_with_a_warning(tmp_path: Path) -> None:
    german = ("Die Regierung in Peking hat neue Regeln für künstliche Intelligenz angekündigt. Unternehmen müssen "
              "ihre Modelle vor dem ersten März bei der Behörde anmelden, teilte das Ministerium mit.")
    english = ("The ministry in Beijing announced new rules for artificial intelligence on Monday, and companies "
               "will have to register their models with the regulator before the first of March, it said.")
    p = write_jsonl(tmp_path / "l.jsonl", [{"doc_id": "de", "text": german}, {"doc_id": "en", "text": english}])
    items = list(read_documents([p]))
    assert [a.doc_id for a in items if isinstance(a, ArticleRecord)] == ["de", "en"]
    warns = [i for i in items if isinstance(i, DocumentError)]
    assert [(w.doc_id, w.level) for w in warns] == [("de", "warning")] and "English" in warns[0].reason
