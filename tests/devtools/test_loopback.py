"""The loopback helpers that start the stand-ins for tests and benchmarks."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from devtools.loopback import free_port, wait_for


def test_a_free_port_can_be_listened_on():
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))


def test_wait_for_returns_once_a_server_answers_and_gives_up_on_silence():
    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        wait_for(f"http://127.0.0.1:{server.server_port}/healthz", seconds=5)
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(RuntimeError, match="did not come up"):
        wait_for(f"http://127.0.0.1:{free_port()}/healthz", seconds=0.5)
