"""`kg app`'s process: import what every page needs before the server accepts a browser, then run
`streamlit run` in this same process, so the first visitor does not wait for the imports (plotly, the
neo4j driver, the query layer's models: about 1.3 s on the reference machine).

Running Streamlit in-process also lets us harden its web server before it starts (issue 13: a page on
another site could frame the app and drive it):

* every HTTP response, and the WebSocket handshake, carries `X-Frame-Options: DENY` and
  `Content-Security-Policy: frame-ancestors 'none'`, so no other page can put the app in a frame (the files
  of the app's own components, under /component/, say SAMEORIGIN and 'self': the app's pages frame them,
  no other site can). Streamlit
  has no setting for response headers; its server is Starlette, and `install_security_headers` puts an ASGI
  middleware outside Streamlit's own middleware stack;
* Streamlit's XSRF protection and same-origin (CORS) checks are forced on, whatever a config file, an
  environment variable or an earlier command-line flag says.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

SECURITY_HEADERS: dict[str, str] = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
# The files of the app's own components (the clickable graphs: Streamlit serves a v1 component's page under
# /component/ and draws it in an iframe of the app's page) may be framed by the app's own origin, and by no
# other: the same two headers, set to same-origin.
COMPONENT_HEADERS: dict[str, str] = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}
COMPONENT_ROUTE = "component"
# Given last on the command line, so they win over anything before them (click keeps the last value).
FORCED_FLAGS: tuple[str, ...] = ("--server.enableXsrfProtection", "true", "--server.enableCORS", "true")

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

# The ASGI messages that start a response: plain HTTP, the WebSocket handshake, and a refused handshake.
_RESPONSE_STARTS = frozenset({"http.response.start", "websocket.accept", "websocket.http.response.start"})


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class SecurityHeaders:
    """ASGI middleware: add SECURITY_HEADERS to every response the wrapped app starts (replacing any value
    the app set for the same header); COMPONENT_HEADERS to the files of the app's components."""

    def __init__(self, app: ASGIApp, base_path: str | None = None) -> None:
        self.app = app
        self._names = {name.lower().encode("latin-1") for name in SECURITY_HEADERS}
        self._default = _encoded(SECURITY_HEADERS)
        self._component = _encoded(COMPONENT_HEADERS)
        self._base_path = base_path

    def _component_prefix(self) -> str:
        base = self._base_path
        if base is None:
            from streamlit import config

            base = str(config.get_option("server.baseUrlPath") or "")
        base = base.strip("/")
        return f"/{base}/{COMPONENT_ROUTE}/" if base else f"/{COMPONENT_ROUTE}/"

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        component = scope.get("type") == "http" and str(scope.get("path") or "").startswith(self._component_prefix())
        headers = self._component if component else self._default

        # A WebSocket closed before it was accepted (Streamlit refusing another origin) becomes the server's
        # bare 403 without our headers; where the server supports it, send that refusal ourselves, with them.
        can_deny = "websocket.http.response" in (scope.get("extensions") or {})
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            kind = message.get("type")
            if kind in _RESPONSE_STARTS:
                started = True
                kept = [(k, v) for k, v in message.get("headers") or [] if bytes(k).lower() not in self._names]
                message = {**message, "headers": kept + headers}
            elif kind == "websocket.close" and not started and can_deny:
                started = True
                await send({"type": "websocket.http.response.start", "status": 403,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers]})
                await send({"type": "websocket.http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_security_headers() -> None:
    """Put SecurityHeaders first (outermost) in the middleware Streamlit's server builds its app with.
    Fails loudly if Streamlit's layout changed, rather than serving without the headers."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = getattr(starlette_app, "create_streamlit_middleware", None)
    if original is None or not callable(original):
        raise RuntimeError("this Streamlit has no starlette_app.create_streamlit_middleware: cannot add the "
                           "X-Frame-Options / Content-Security-Policy headers, refusing to serve without them")
    if getattr(original, "_kg_security_headers", False):
        return

    def create_streamlit_middleware() -> list[Middleware]:
        return [Middleware(SecurityHeaders), *original()]

    create_streamlit_middleware._kg_security_headers = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = create_streamlit_middleware


def streamlit_args(argv: list[str]) -> list[str]:
    """`streamlit run` arguments: ours, then the forced security flags (before a `--`, after which everything
    belongs to the script)."""
    if "--" in argv:
        cut = argv.index("--")
        return ["run", *argv[:cut], *FORCED_FLAGS, *argv[cut:]]
    return ["run", *argv, *FORCED_FLAGS]


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    import app.charts  # noqa: F401  (plotly, the ontology's records)
    import kg.queries  # noqa: F401  (the neo4j driver, pydantic)

    install_security_headers()
    cli.main(args=streamlit_args(argv), prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
