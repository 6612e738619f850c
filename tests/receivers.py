"""Real notification receivers for the tests: an HTTP endpoint for Apprise's json:// and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    url: str
    messages: list[dict[str, str]] = field(default_factory=list)  # {"title", "body"} in arrival order


@contextmanager
def json_receiver(port: int | None = None) -> Iterator[Received]:
    """An HTTP server on 127.0.0.1 that records what Apprise's json:// posts (title and message)."""
    received = Received("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            payload: dict[str, Any] = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.messages.append({"title": payload["title"], "body": payload["message"]})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port or 0), Handler)
    received.url = f"json://127.0.0.1:{server.server_address[1]}/stridewise"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def smtp_receiver() -> Iterator[Received]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that records each mail's subject and plain-text body."""
    received = Received("")

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
            text = mail.get_body(preferencelist=("plain",))
            assert text is not None
            body = text.get_content().replace("\r\n", "\n").strip()  # SMTP lines end in CRLF
            received.messages.append({"title": str(mail["Subject"]), "body": body, "to": ",".join(envelope.rcpt_tos)})
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    received.url = f"mailto://127.0.0.1:{port}?from=stridewise@example.org&to=runner@example.org"
    try:
        yield received
    finally:
        controller.stop()
