"""Exports and `kg import` under hostile data (issue 13, points 8 and 9), on the real test server.

Exports: an article title holding `</script>` must not end the <script type="application/ld+json"> block a
ClaimReview or JSON-LD export is pasted into, and only http(s) URLs are exported as links. Import: the
graph is checked first, no remote @context is fetched (a real loopback HTTP server counts the requests), no
local file named as a context is opened (an audit hook in the `kg import` process watches every open),
and every value is checked against the ontology before anything is written.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef
from rdflib import namespace as ns

from kg.db import Graph, count_graph
from kg.errors import KGError
from kg.export import AIGP, JSONLD_CONTEXT, export, iri
from kg.export.rdf_import import import_rdf
from kg.settings import Settings
from kg.writer import GraphWriter
from ontology.models import Extraction
from ontology.vocabulary import AIG
from tests.graph_server import env_for
from tests.records import accusation, action_article, spec

CLEAR = "MATCH (n) DETACH DELETE n"
EVIL_TITLE = "</script><script>alert(1)</script><!-- Northwind & Redriver"
EVIL_SENTENCE = "Northwind AI accused Redriver Group of distilling its models </script><img src=x onerror=alert(2)>."
BAD_URLS = ("javascript:alert(document.cookie)", " JaVaScRiPt:alert(3)", "java\tscript:alert(4)",
            "data:text/html,<script>alert(5)</script>")
GOOD_URL = "https://news.example.org/northwind"


def hostile_records() -> list[Extraction]:
    docs = []
    for i, url in enumerate((*BAD_URLS, GOOD_URL)):
        ex = accusation(f"evil-{i}", EVIL_SENTENCE if i == 0 else f"Northwind AI accused Redriver Group of "
                        f"distillation in June 2026 (report {i}).", date_=spec("2026-06"), url=url,
                        outlet="Reuters" if i % 2 else "Bloomberg")
        docs.append(ex.model_copy(update={"article": ex.article.model_copy(update={"title": EVIL_TITLE})}))
    docs.append(action_article("evil-action", "The Commerce Department restricted Redriver on June 12, 2026.",
                               date_=spec("2026-06-12"), outlet="Reuters"))
    return docs


@dataclass
class Exported:
    files: dict[str, Path]
    root: Path


@pytest.fixture(scope="module")
def exported(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    """The hostile records written and exported in every format; then the graph is left empty for imports."""
    root = tmp_path_factory.mktemp("security-export")
    graph.write(CLEAR)
    writer = GraphWriter(graph)
    writer.sync_outlets()
    for ex in hostile_records():
        writer.write(ex)
    files = {"claimreview": root / "claims.jsonld", "jsonld": root / "kg.jsonld", "turtle": root / "kg.ttl",
             "timelinejs": root / "timeline.json", "csv": root / "csv"}
    for fmt, path in files.items():
        export(graph, fmt, path)
    graph.write(CLEAR)
    yield Exported(files, root)
    graph.write(CLEAR)


class _Scripts(HTMLParser):
    """The <script> elements of a page, as a browser's HTML parser splits them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.scripts[-1] += data


def embedded(json_text: str) -> list[str]:
    page = f'<html><head><script type="application/ld+json">{json_text}</script></head><body>ok</body></html>'
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser.scripts


def walk(obj: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def is_http(value: object) -> bool:
    return str(value).startswith(("http://", "https://"))


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt", ["claimreview", "jsonld"])
def test_json_exports_cannot_break_out_of_a_script_block(exported: Exported, fmt: str) -> None:
    text = exported.files[fmt].read_text(encoding="utf-8")
    assert "</" not in text and "<!--" not in text
    doc = json.loads(text)  # still valid JSON, and the same data
    scripts = embedded(text)
    assert len(scripts) == 1, scripts[1:]
    assert json.loads(scripts[0]) == doc
    values = [v for _, v in walk(doc) if isinstance(v, str)]
    assert any(EVIL_TITLE in v for v in values) or (fmt == "jsonld" and any(EVIL_SENTENCE in v for v in values))


def test_claimreview_keeps_only_http_urls(exported: Exported) -> None:
    doc = json.loads(exported.files["claimreview"].read_text(encoding="utf-8"))
    urls = [v for k, v in walk(doc) if k == "url"]
    assert urls and all(is_http(u) for u in urls), urls
    appearances = [a for k, v in walk(doc) if k == "appearance" for a in v]
    by_doc = {a["identifier"]: a for a in appearances}
    assert set(by_doc) == {f"evil-{i}" for i in range(len(BAD_URLS) + 1)}
    assert by_doc[f"evil-{len(BAD_URLS)}"]["url"] == GOOD_URL  # a good URL stays
    for i in range(len(BAD_URLS)):
        assert "url" not in by_doc[f"evil-{i}"]
        assert by_doc[f"evil-{i}"]["headline"] == EVIL_TITLE
    assert "script:" not in json.dumps(doc).lower().replace("\\t", "")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_rdf_and_csv_exports_keep_only_http_urls(exported: Exported) -> None:
    for fmt in ("jsonld", "turtle"):
        g = RDFGraph().parse(exported.files[fmt], format="json-ld" if fmt == "jsonld" else "turtle")
        urls = [o for o in g.objects(None, ns.SDO.url)]
        assert [str(u) for u in urls] == [GOOD_URL], (fmt, urls)
        links = [o for o in g.objects() if isinstance(o, Literal) and o.datatype == ns.XSD.anyURI]
        assert all(is_http(o) for o in links), links
        for o in g.objects():
            assert not str(o).strip().lower().replace("\t", "").startswith(("javascript:", "data:")), (fmt, o)
    with (exported.files["csv"] / "allegations.csv").open(encoding="utf-8-sig", newline="") as fh:
        cells = [u for row in csv.DictReader(fh) for u in row["urls"].split("; ") if u]
    assert cells == [GOOD_URL]


def test_timelinejs_escaping_still_holds(exported: Exported) -> None:
    doc = json.loads(exported.files["timelinejs"].read_text(encoding="utf-8"))
    texts = [v for k, v in walk(doc) if k in ("headline", "text") and isinstance(v, str)]
    assert any("&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in t for t in texts)
    assert not any("</script" in t or "<img" in t or "<script" in t for t in texts)


# ---------------------------------------------------------------- import: contexts


class _Counting(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = json.dumps({"@context": JSONLD_CONTEXT}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback serving a valid JSON-LD context; the list holds every request it got."""
    class Handler(_Counting):
        requests: ClassVar[list[str]] = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", Handler.requests
    finally:
        server.shutdown()
        server.server_close()


def with_context(exported: Exported, name: str, change: Any) -> Path:
    """The JSON-LD export with its context (or first node) changed by `change`, written as `name`."""
    doc = json.loads(exported.files["jsonld"].read_text(encoding="utf-8"))
    change(doc)
    path = exported.root / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def remote_variants(exported: Exported, url: str) -> list[Path]:
    def top(doc: dict[str, Any]) -> None:
        doc["@context"] = [url, doc["@context"]]

    def imported(doc: dict[str, Any]) -> None:
        doc["@context"] = {"@import": url, **doc["@context"]}

    def nested(doc: dict[str, Any]) -> None:
        doc["@graph"][0]["@context"] = url

    return [with_context(exported, f"remote-{f.__name__}.jsonld", f) for f in (top, imported, nested)]


def test_import_never_fetches_a_remote_context(exported: Exported, graph: Graph,
                                               context_server: tuple[str, list[str]]) -> None:
    url, requests = context_server
    try:
        for path in remote_variants(exported, url):
            with pytest.raises(KGError, match=r"@context|@import") as err:
                import_rdf(graph, path)
            assert "\n" not in str(err.value) and str(path) in str(err.value)
            assert requests == [], path.name
            assert count_graph(graph)["nodes"] == 0
    finally:
        graph.write(CLEAR)


def test_import_checks_the_graph_is_empty_before_reading_the_file(
        exported: Exported, graph: Graph, context_server: tuple[str, list[str]]) -> None:
    url, requests = context_server
    GraphWriter(graph).sync_outlets()
    before = count_graph(graph)
    try:
        for path in remote_variants(exported, url):
            with pytest.raises(KGError, match="not empty"):
                import_rdf(graph, path)
        assert requests == []
        assert count_graph(graph) == before
    finally:
        graph.write(CLEAR)


WATCHED_IMPORT = """
import sys
watched = sys.argv[1]

def hook(event, args):
    if event == "open" and args and watched in str(args[0]):
        sys.stderr.write("OPENED " + str(args[0]) + "\\n")

sys.addaudithook(hook)
from kgcli.main import main
sys.exit(main(["import", sys.argv[2]]))
"""


def test_import_never_opens_a_local_file_named_as_context(exported: Exported, graph_settings: Settings,
                                                          graph: Graph) -> None:
    secret = exported.root / "secret-context.jsonld"
    secret.write_text(json.dumps({"@context": JSONLD_CONTEXT}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_for(graph_settings))
    for name, ref in (("relative", secret.name), ("file-url", secret.as_uri()), ("absolute", str(secret))):
        def local(doc: dict[str, Any], ref: str = ref) -> None:
            doc["@context"] = ref

        path = with_context(exported, f"local-{name}.jsonld", local)
        run = subprocess.run([sys.executable, "-c", WATCHED_IMPORT, secret.name, str(path)], env=env,
                             capture_output=True, text=True, timeout=300)
        assert "OPENED" not in run.stderr, (name, run.stderr)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "@context" in lines[0], run.stderr
        nodes = count_graph(graph)["nodes"]
        graph.write(CLEAR)
        assert nodes == 0


# ---------------------------------------------------------------- import: values


def _first(g: RDFGraph, kind: URIRef) -> URIRef:
    return sorted(s for s in g.subjects(ns.RDF.type, kind) if isinstance(s, URIRef))[0]


def _set(g: RDFGraph, s: URIRef, p: URIRef, o: Any) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


def _rename(g: RDFGraph, old: URIRef, new: URIRef) -> None:
    for s, p, o in list(g):
        if s == old or o == old:
            g.remove((s, p, o))
            g.add((new if s == old else s, p, new if o == old else o))


def _allegation(g: RDFGraph) -> URIRef:
    return _first(g, AIG.Allegation)


MUTATIONS: dict[str, tuple[Any, str]] = {
    "reliability": (lambda g: _set(g, _allegation(g), AIG.reliability, Literal(99999)), r"fact \S+: reliability"),
    "actor id": (lambda g: _rename(g, _first(g, AIG.Actor), iri("actor", "evil/../")),
                 r"actor \S+evil%2F\.\.%2F: id 'evil/\.\./' is not"),
    "date": (lambda g: _set(g, _allegation(g), AIG.date, Literal("2026-13", datatype=ns.XSD.gYearMonth)),
             r"fact \S+: date_value '2026-13'"),
    "date start": (lambda g: _set(g, _allegation(g), URIRef("https://w3id.org/aigeo/kg/x#dateStart"),
                                  Literal("2026-02-30", datatype=ns.XSD.date)), r"fact \S+: date_start '2026-02-30'"),
    "kind from another scheme": (lambda g: _set(g, _allegation(g), AIG.kind, AIG.ban),
                                 r"fact \S+: kind 'ban' is not a kind of Allegation"),
    "status": (lambda g: _set(g, _allegation(g), AIG.status, AIG.month), r"fact \S+: status 'month'"),
    "outlet prior": (lambda g: _set(g, _first(g, AIG.Outlet), AIGP.prior, Literal(150.0)),
                     r"outlet \S+: prior 150.0 is outside 0-100"),
    "offsets": (lambda g: _set(g, _first(g, AIG.Evidence), AIG.startOffset, Literal(10**6)),
                r"evidence \S+: offsets"),
    "url": (lambda g: _set(g, _first(g, AIG.Article), ns.SDO.url,
                           Literal("javascript:alert(1)", datatype=ns.XSD.anyURI)),
            r"article \S+: url 'javascript:alert\(1\)' is not an http\(s\) URL"),
    "property name": (lambda g: g.add((_first(g, AIG.Actor), URIRef(str(AIGP) + "Evil%20Key"), Literal("x"))),
                      r"actor \S+: property name 'Evil Key'"),
}


def test_import_accepts_the_unchanged_export(exported: Exported, graph: Graph) -> None:
    try:
        result = import_rdf(graph, exported.files["turtle"])
        assert result.counts["facts"] > 0
    finally:
        graph.write(CLEAR)


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_import_refuses_values_outside_the_ontology(exported: Exported, graph: Graph, case: str) -> None:
    change, message = MUTATIONS[case]
    g = RDFGraph().parse(exported.files["turtle"], format="turtle")
    change(g)
    path = exported.root / f"bad-{case.replace(' ', '-')}.ttl"
    g.serialize(path, format="turtle")
    try:
        with pytest.raises(KGError, match=message) as err:
            import_rdf(graph, path)
        assert "\n" not in str(err.value) and "nothing was imported" in str(err.value)
        assert count_graph(graph)["nodes"] == 0
    finally:
        graph.write(CLEAR)
