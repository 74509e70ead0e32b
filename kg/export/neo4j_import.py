"""Bulk first loads into Neo4j: the whole graph as CSV files for `neo4j-admin database import full`, and the same
files read back into a graph (`load_import_files`, how the tests check them, and a way to fill a local server).

Files (one per node group and one per relationship type and end groups, in the export directory):

    nodes-Fact.csv      id:ID(Fact),:LABEL,date_start:string,reliability:double,n_articles:long,disputed:boolean,…
    rels-ACCUSER-Fact-Actor.csv   :START_ID(Fact),:END_ID(Actor),:TYPE,position:long,articles:string[]

The header grammar is neo4j-admin's (`<name>:<field_type>`): `name:ID(group)` is the node's key in its ID space
(group = the node's base label: Actor, Fact, Article, …) and is stored as the property `name`; `:LABEL` lists the
node's labels, separated by the array delimiter; `:START_ID(group)`, `:END_ID(group)`, `:TYPE` make a
relationship; every other column is a property, `name:type` or `name:type[]` for an array (`string` when no
type is given). Unquoted empty cells are missing values; text is always quoted (`""` inside), so an empty string
is `""`; article texts span lines (`--multiline-fields=true`).

Types are those the writer stores, inferred from the values: `long`, `double`, `boolean`, `string` and their
arrays. Dates stay `string` (ISO `2026-06`, `2026-06-24`, `--06-24`): the graph keeps each date at its precision
and the query layer compares them as strings with string parameters; a `date` column would make Neo4j store a
DATE, which never compares with a string (null), so timelines would come back empty. neo4j-admin cannot store an
empty array (an empty cell is no property): an empty list property is left out, which every reader of the graph
treats as the empty list (`coalesce`). After the import run `kg schema` against the Neo4j server: neo4j-admin
creates no constraints or indexes.
"""

from __future__ import annotations

import math
import re
import shlex
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.cypher import export as cx
from kg.db import Graph
from kg.errors import KGError

ARRAY_DELIMITER = ";"
FALLBACK_ARRAY_DELIMITER = "\x1f"  # when some array element holds a ";" (given to neo4j-admin as U+001F)
SPECIAL = {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}
# neo4j-admin's property types (Neo4j 5 operations manual, "Import header format")
PROPERTY_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point", "date",
                  "localtime", "time", "localdatetime", "datetime", "duration"}
_FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<group>[^()]*)\))?)?$")
BATCH = 1000


@dataclass(frozen=True)
class Field:
    """One header column: a property (kind "property") or one of neo4j-admin's special fields."""

    name: str
    kind: str
    type: str = "string"
    array: bool = False
    group: str | None = None

    def header(self) -> str:
        if self.kind == "property":
            return f"{self.name}:{self.type}{'[]' if self.array else ''}"
        return f"{self.name}:{self.kind}{f'({self.group})' if self.group else ''}"


def parse_header(line: str) -> list[Field]:
    """A header row by neo4j-admin's grammar; raises KGError on a field it does not define."""
    fields = []
    for cell in _split_row(line.rstrip("\r\n")):
        raw = cell[0]
        m = _FIELD.match(raw)
        if not m:
            raise KGError(f"header field {raw!r} is not <name>:<field_type>")
        name, kind, group = m["name"], m["type"], m["group"]
        if kind is None:
            fields.append(Field(name, "property"))
        elif kind in SPECIAL:
            if m["array"] or (group is not None and kind not in ("ID", "START_ID", "END_ID")):
                raise KGError(f"header field {raw!r}: {kind} takes no [] and no (group)")
            fields.append(Field(name, kind, group=group))
        elif kind in PROPERTY_TYPES:
            if not name or group is not None:
                raise KGError(f"header field {raw!r}: a property needs a name and takes no (group)")
            fields.append(Field(name, "property", kind, bool(m["array"])))
        else:
            raise KGError(f"header field {raw!r}: unknown field type {kind!r}")
    return fields


# ---------------------------------------------------------------- CSV cells (null and "" kept apart)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _split_row(text: str) -> list[tuple[str, bool]]:
    """One CSV record (already joined across quoted newlines): (value, was quoted) per cell."""
    cells: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            j, buf = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise KGError("unterminated quoted field")
                buf.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    buf.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            cells.append(("".join(buf), True))
        else:
            k = text.find(",", i)
            k = n if k < 0 else k
            cells.append((text[i:k], False))
            i = k
        if i >= n:
            return cells
        if text[i] != ",":
            raise KGError(f"unexpected {text[i]!r} after a quoted field")
        i += 1
        if i == n:
            cells.append(("", False))
            return cells


def _records(path: Path) -> Iterator[str]:
    """The file's CSV records: lines joined while a quoted field is open."""
    with path.open(encoding="utf-8", newline="") as fh:
        pending = ""
        for line in fh:
            pending += line
            if pending.count('"') % 2 == 0:
                yield pending.rstrip("\r\n") if pending.endswith("\n") else pending
                pending = ""
        if pending:
            raise KGError(f"{path.name}: the file ends inside a quoted field")


# ---------------------------------------------------------------- export


def _scalar_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    raise KGError(f"a property value of type {type(value).__name__} has no neo4j-admin type")


def _column_type(name: str, values: Iterable[Any]) -> tuple[str, bool]:
    kinds: set[str] = set()
    arrays = scalars = False
    for v in values:
        if v is None:
            continue
        if isinstance(v, list):
            arrays = True
            kinds.update(_scalar_type(x) for x in v)
        else:
            scalars = True
            kinds.add(_scalar_type(v))
    if arrays and scalars:
        raise KGError(f"property {name!r} holds both lists and single values")
    if kinds == {"long", "double"}:
        kinds = {"double"}
    if len(kinds) > 1:
        raise KGError(f"property {name!r} holds values of several types ({', '.join(sorted(kinds))})")
    return (kinds.pop() if kinds else "string"), arrays


def _cell(value: Any, type_: str, delimiter: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _quote(delimiter.join(_item(x, type_) for x in value)) if value else ""
    if type_ == "string":
        return _quote(str(value))
    return _item(value, type_)


def _item(value: Any, type_: str) -> str:
    if type_ == "boolean":
        return "true" if value else "false"
    if type_ == "double":
        x = float(value)
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity") if math.isinf(x) else repr(x)
    return str(value)


def _group(labels: list[str]) -> tuple[str, str | None]:
    for group, extras in cx.NODE_GROUPS.items():
        if group in labels:
            extra = [x for x in labels if x != group]
            if len(extra) > 1 or (extra and extra[0] not in extras):
                raise KGError(f"a {group} node has labels the export does not know: {labels}")
            return group, extra[0] if extra else None
    raise KGError(f"a node has no label the export knows: {labels}")


@dataclass
class Neo4jImport:
    directory: Path
    array_delimiter: str
    files: list[Path] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    database: str = "neo4j"

    def command(self) -> str:
        delim = "U+001F" if self.array_delimiter == FALLBACK_ARRAY_DELIMITER else self.array_delimiter
        args = ["neo4j-admin", "database", "import", "full", "--id-type=string", f"--array-delimiter={delim}",
                "--multiline-fields=true"]
        args += [f"--{'nodes' if f.name.startswith('nodes-') else 'relationships'}={f}" for f in self.files]
        return shlex.join([*args, self.database])

    def line(self) -> str:
        return (f"neo4j-import export to {self.directory}: {self.nodes} nodes, {self.relationships} relationships "
                f"in {len(self.files)} files; load them into an empty Neo4j 5 database (stopped) with:\n"
                f"  {self.command()}\nthen start it, create the database if it is not the default, and run "
                "`kg schema` with NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE set (constraints and indexes)")


def _write_csv(path: Path, columns: list[Field], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(c.header() for c in columns) + "\n")
        for row in rows:
            fh.write(",".join(row) + "\n")


def export_neo4j_import(graph: Graph, directory: Path | str, database: str = "neo4j") -> Neo4jImport:
    """Write every node and relationship of the graph as neo4j-admin import files into `directory`."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise KGError(f"{out} is a file: the neo4j-import export writes a directory")
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("nodes-*.csv"), *out.glob("rels-*.csv")]:  # a previous export's files
        old.unlink()
    nodes: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for r in graph.read(cx.DUMP_NODES_CYPHER):
        group, _extra = _group(r["labels"])
        if not isinstance(r["props"].get("id"), str):
            raise KGError(f"a {group} node has no string id: {dict(r['props'])}")
        nodes[group].append((sorted(r["labels"], key=lambda x: (x != group, x)), dict(r["props"])))
    rels: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for r in graph.read(cx.DUMP_RELATIONSHIPS_CYPHER):
        ends = (r["type"], _group(r["a_labels"])[0], _group(r["b_labels"])[0])
        if ends not in cx.IMPORT_RELATIONSHIPS:
            raise KGError(f"a {ends[0]} relationship from {ends[1]} to {ends[2]} is not in the ontology")
        rels[ends].append((r["a"], r["b"], dict(r["props"])))
    arrays = [v for group in nodes.values() for _, p in group for v in p.values() if isinstance(v, list)]
    arrays += [v for rows in rels.values() for *_, p in rows for v in p.values() if isinstance(v, list)]
    delimiter = (FALLBACK_ARRAY_DELIMITER if any(ARRAY_DELIMITER in str(x) for a in arrays for x in a)
                 else ARRAY_DELIMITER)
    result = Neo4jImport(out, delimiter, database=database)
    for group, items in nodes.items():
        names = sorted({k for _, p in items for k in p} - {"id"})
        columns = [Field("id", "ID", group=group), Field("", "LABEL")]
        columns += [Field(n, "property", *_column_type(n, (p.get(n) for _, p in items))) for n in names]
        path = out / f"nodes-{group}.csv"
        _write_csv(path, columns, ([_quote(p["id"]), _quote(delimiter.join(labels)),
                                    *(_cell(p.get(c.name), c.type, delimiter) for c in columns[2:])]
                                   for labels, p in items))
        result.files.append(path)
        result.nodes += len(items)
    for (rel_type, start, end), links in sorted(rels.items()):
        names = sorted({k for *_, p in links for k in p})
        columns = [Field("", "START_ID", group=start), Field("", "END_ID", group=end), Field("", "TYPE")]
        columns += [Field(n, "property", *_column_type(n, (p.get(n) for *_, p in links))) for n in names]
        path = out / f"rels-{rel_type}-{start}-{end}.csv"
        _write_csv(path, columns, ([_quote(a), _quote(b), _quote(rel_type),
                                    *(_cell(p.get(c.name), c.type, delimiter) for c in columns[3:])]
                                   for a, b, p in links))
        result.files.append(path)
        result.relationships += len(links)
    (out / "import.sh").write_text("#!/bin/sh\n# written by kg export --format neo4j-import\n"
                                   f"{result.command()}\n", encoding="utf-8")
    return result


# ---------------------------------------------------------------- the files read back


def _value(text: str, quoted: bool, column: Field, delimiter: str) -> Any:
    if not text and not quoted:
        return None
    if column.array:
        return [_parse(x, column.type) for x in text.split(delimiter)] if text else None
    return _parse(text, column.type)


def _parse(text: str, type_: str) -> Any:
    if type_ in ("long", "int", "short", "byte"):
        return int(text)
    if type_ in ("double", "float"):
        return float(text)
    if type_ == "boolean":
        if text not in ("true", "false"):
            raise KGError(f"{text!r} is not a boolean")
        return text == "true"
    if type_ in ("string", "char"):
        return text
    raise KGError(f"the loader reads no {type_} values (the export writes none)")


def _rows(path: Path) -> tuple[list[Field], Iterator[list[tuple[str, bool]]]]:
    records = _records(path)
    try:
        header = parse_header(next(records))
    except StopIteration:
        raise KGError(f"{path.name}: empty file") from None

    def body() -> Iterator[list[tuple[str, bool]]]:
        for number, record in enumerate(records, 2):
            cells = _split_row(record)
            if len(cells) != len(header):
                raise KGError(f"{path.name}:{number}: {len(cells)} fields, the header has {len(header)}")
            yield cells
    return header, body()


def load_import_files(graph: Graph, directory: Path | str, array_delimiter: str = ARRAY_DELIMITER) -> tuple[int, int]:
    """Write the nodes and relationships of neo4j-import files (`export_neo4j_import`) into the graph, in UNWIND
    batches that MERGE on ids: (nodes, relationships) read. Labels and types must be the ontology's."""
    folder = Path(directory)
    n_nodes = n_rels = 0
    for path in sorted(folder.glob("nodes-*.csv")):
        header, body = _rows(path)
        ids = [i for i, c in enumerate(header) if c.kind == "ID"]
        labels_at = [i for i, c in enumerate(header) if c.kind == "LABEL"]
        if len(ids) != 1 or len(labels_at) != 1 or header[ids[0]].group not in cx.NODE_GROUPS:
            raise KGError(f"{path.name}: a node file needs one ID(group) of a known group and one :LABEL column")
        group = str(header[ids[0]].group)
        batches: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
        for cells in body:
            labels = cells[labels_at[0]][0].split(array_delimiter)
            key = (group, next((x for x in labels if x != group), None))
            if group not in labels or key not in cx.IMPORT_NODES or len(set(labels)) > 2:
                raise KGError(f"{path.name}: labels {labels} are not a {group} node's")
            props = {c.name: _value(v, q, c, array_delimiter) for c, (v, q) in zip(header, cells, strict=True)
                     if c.kind == "property"}
            node_id = cells[ids[0]][0]
            props[header[ids[0]].name or "id"] = node_id
            batches[key].append({"id": node_id, "props": {k: v for k, v in props.items() if v is not None}})
            n_nodes += 1
        for key, rows in batches.items():
            for i in range(0, len(rows), BATCH):
                graph.write(cx.IMPORT_NODES[key], {"rows": rows[i:i + BATCH]})
    for path in sorted(folder.glob("rels-*.csv")):
        header, body = _rows(path)
        kinds = {c.kind: i for i, c in enumerate(header)}
        if not {"START_ID", "END_ID", "TYPE"} <= set(kinds):
            raise KGError(f"{path.name}: a relationship file needs :START_ID, :END_ID and :TYPE columns")
        start, end = header[kinds["START_ID"]].group, header[kinds["END_ID"]].group
        rel_batches: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for cells in body:
            ends = (cells[kinds["TYPE"]][0], str(start), str(end))
            if ends not in cx.IMPORT_RELATIONSHIPS:
                raise KGError(f"{path.name}: no {ends[0]} relationship from {start} to {end} in the ontology")
            props = {c.name: _value(v, q, c, array_delimiter) for c, (v, q) in zip(header, cells, strict=True)
                     if c.kind == "property"}
            props = {k: v for k, v in props.items() if v is not None}
            rel_batches[ends].append({"a": cells[kinds["START_ID"]][0], "b": cells[kinds["END_ID"]][0],
                                      "id": props.get("id"), "props": props})
            n_rels += 1
        for ends, rows in rel_batches.items():
            for i in range(0, len(rows), BATCH):
                graph.write(cx.IMPORT_RELATIONSHIPS[ends], {"rows": rows[i:i + BATCH]})
    return n_nodes, n_rels
