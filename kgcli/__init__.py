"""The `kg` command line: option parsing and printing only. The work is in `jobs` (read, extract, load) and in
`kg.queries`, `kg.export`, `kg.server`; `python -m kgcli` is the same as `kg`."""
