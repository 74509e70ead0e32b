"""Applying the constraints and indexes (the DDL is generated in kg/cypher/ddl.py from the ontology's labels).

`apply_schema` is idempotent: every statement is named and IF NOT EXISTS.
"""

from __future__ import annotations

from kg.cypher.ddl import INDEXED_PROPERTIES, UNIQUE_ID_LABELS, cypher_statements
from kg.db import Graph

__all__ = ["INDEXED_PROPERTIES", "UNIQUE_ID_LABELS", "apply_schema", "cypher_statements"]


def apply_schema(graph: Graph) -> int:
    statements = cypher_statements()
    for statement in statements.values():
        graph.write(statement)  # type: ignore[arg-type]  # generated from ontology names, not user input
    return len(statements)
