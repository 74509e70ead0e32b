"""`kg app`'s process: import what every page needs before the server accepts a browser, then run
`streamlit run` in this same process, so the first visitor does not wait for the imports (plotly, the
neo4j driver, the query layer's models: about 1.3 s on the reference machine)."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    import app.charts  # noqa: F401  (plotly, the ontology's records)
    import kg.queries  # noqa: F401  (the neo4j driver, pydantic)

    cli.main(args=["run", *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
