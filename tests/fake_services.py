"""Small local HTTP servers standing in for outside services in tests (loopback only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Handler = Callable[[str, dict[str, list[str]]], tuple[int, object]]


@contextmanager
def local_json_server(handler: Handler) -> Iterator[tuple[str, list[dict]]]:
    """Serve ``handler(path, query) -> (status, json_body)`` on 127.0.0.1; yields (url, log)."""
    log: list[dict] = []

    class RequestHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            log.append({"path": parts.path, "query": query, "headers": dict(self.headers)})
            status, body = handler(parts.path, query)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()
