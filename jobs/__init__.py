"""The stages of the work, as functions: read documents, extract records, load records into the graph.

`jobs` is the one place where `ingest/` (documents → records) and `kg/` (records → graph) meet; the
command line and the app call these functions and know neither package's internals. A `Runner` decides
where extraction runs (this process and its `nlp.pipe` workers today).
"""
