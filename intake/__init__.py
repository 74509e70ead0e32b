"""Live intake: leads (feed entries, URL lists, GDELT GKG rows) → fetched pages → articles → `jobs`.

  leads.py   where leads come from: RSS/Atom (feedparser), a file of URLs, GDELT 2.1 GKG rows
  fetch.py   the polite HTTP client: user agent, per-host rate limit, robots.txt, timeouts, retries with
             back-off, conditional GET, manual redirects (each hop checked against robots.txt)
  state.py   the fetch state store (sqlite): validators and content hashes of what was fetched
  poll.py    one poll: fetch the leads, turn pages into ArticleRecords, extract and load through `jobs`
  watch.py   `kg watch`: poll again every so often, one line of progress per poll
  watchlists.py  saved filters whose changes become alerts, once each (atom.py writes their Atom feeds)
  sqlite.py  the one way the fetch state and the watchlists open their sqlite files

Layering: intake builds on `ingest.readers` (HTML → article, the same checks as files get) and `jobs` (extract
and load); nothing below it imports it (import-linter contract in pyproject.toml).
"""
