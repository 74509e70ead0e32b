"""Exports of the graph for other tools: RDF (Turtle, JSON-LD) under the ontology, CSV for spreadsheets,
TimelineJS for newsrooms, ClaimReview (schema.org) for fact-checkers; and `kg import`, an RDF export read back.

  snapshot.py     the graph read once into a `Snapshot`; `select` keeps what an actor and/or start date select
  rdf.py          the RDF codec (layout in its docstring), `to_rdf`
  rdf_import.py   `import_rdf`: an RDF export parsed back into a `Snapshot` and written into an empty graph
  csv.py          `csv_files`: one spreadsheet-safe CSV file per fact type
  timelinejs.py   `timelinejs`: a TimelineJS document
  claimreview.py  `claimreview`: schema.org ClaimReview items for the allegations
  files.py        `export(graph, fmt, out_path, actor=None, since=None)` and the `FORMATS` table (format ->
                  writer)
  safe.py         untrusted text: only http(s) URLs exported as URLs (`safe_url`: schema:url, ClaimReview
                  appearances, the CSV urls column); JSON exports escape `</` and `<!--` so they can be pasted
                  into a <script type="application/ld+json"> block (`json_for_html`); TimelineJS text is
                  HTML-escaped.

The Cypher these read and write is in kg/cypher/export.py.
"""

from kg.export.claimreview import claimreview
from kg.export.csv import CSV_COLUMNS, csv_files
from kg.export.files import FORMATS, ExportResult, export
from kg.export.rdf import AIGP, AIGX, JSONLD_CONTEXT, iri, to_rdf
from kg.export.rdf_import import ImportResult, import_rdf
from kg.export.safe import json_for_html, safe_url
from kg.export.snapshot import Snapshot, load_snapshot, select
from kg.export.timelinejs import timelinejs

__all__ = ["AIGP", "AIGX", "CSV_COLUMNS", "FORMATS", "JSONLD_CONTEXT", "ExportResult", "ImportResult", "Snapshot",
           "claimreview", "csv_files", "export", "import_rdf", "iri", "json_for_html", "load_snapshot", "safe_url",
           "select", "timelinejs", "to_rdf"]
