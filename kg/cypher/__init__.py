"""Every Cypher statement the product sends, split by job.

  ddl.py        constraints and indexes, generated from the ontology's node labels (applied by kg/schema.py)
  writes.py     the writer's statements (kg/writer.py), also reused by `kg import`
  reads.py      the query layer's statements (kg/queries.py)
  export.py     `kg export` / `kg import` statements (kg/export/)
  fragments.py  the shared pieces, generated once from the ontology's names: the role union, the fact
                projection, the timeline filter
  registry.py   the explicit list of the modules above, for the Cypher lint test

`from kg import cypher as q` gives the writes and reads (q.UPSERT_FACT, q.TIMELINE_CYPHER, ...) and
q.ROLE_RELATIONS; each module lists its statements in `STATEMENTS`. Constants only: parameters carry every
value, so no user input ever becomes query text. Benchmark-only statements are in bench/cypher.py.
"""

from kg.cypher.fragments import ROLE_RELATIONS as ROLE_RELATIONS
from kg.cypher.fragments import trusted as trusted
from kg.cypher.reads import *  # noqa: F403  (the names listed in reads.__all__)
from kg.cypher.writes import *  # noqa: F403  (the names listed in writes.__all__)
