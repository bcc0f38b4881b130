"""Behind a real forwarding proxy, visitors are limited by their own addresses, not the proxy's."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.webapp.served import example_with_people, request, served

LIMIT = 3
LIMITS = {"DELTAKER_LINK_FAILURES_PER_ADDRESS": str(LIMIT)}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@contextmanager
def forwarding_proxy(upstream: int) -> Iterator[int]:
    """A small reverse proxy, as nginx with `$proxy_add_x_forwarded_for` would be."""

    class Forward(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            earlier = self.headers.get("X-Forwarded-For")
            client = self.client_address[0]
            headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
            headers["X-Forwarded-Proto"] = "http"
            connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
            try:
                connection.request("GET", self.path, headers=headers)
                answer = connection.getresponse()
                body = answer.read()
            finally:
                connection.close()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(proxy.server_address[1])
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_two_visitors_behind_the_proxy_are_limited_separately(data_dir, tmp_path) -> None:
    example_with_people(data_dir, 1)
    with (
        served(data_dir, tmp_path / "serve.log", env=LIMITS, args=("--proxy-hops", "1")) as port,
        forwarding_proxy(port) as proxy,
    ):
        first, second = "127.0.4.1", "127.0.4.2"
        for n in range(LIMIT):
            assert request(proxy, f"/r/wrong-{n}", source=first).status == 404
        assert request(proxy, "/r/wrong-again", source=first).status == 429
        # the other visitor comes through the same proxy, but has its own count
        assert request(proxy, "/r/wrong-second", source=second).status == 404
    # the access log shows the visitors' addresses, not the proxy's
    log = (tmp_path / "serve.log").read_text()
    assert f"{first} GET /r/*** 429" in log and f"{second} GET /r/*** 404" in log


def test_without_trusted_hops_a_spoofed_forwarded_for_is_ignored(data_dir, tmp_path) -> None:
    example_with_people(data_dir, 1)
    with served(data_dir, tmp_path / "serve.log", env=LIMITS) as port:
        statuses = [
            request(
                port,
                f"/r/wrong-{n}",
                source="127.0.5.1",
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status
            for n in range(LIMIT + 2)
        ]
    assert statuses == [404] * LIMIT + [429, 429]


def test_with_hops_from_the_environment_only_the_proxys_entry_is_believed(
    data_dir, tmp_path
) -> None:
    """A visitor's own X-Forwarded-For before the proxy's entry changes nothing."""
    example_with_people(data_dir, 1)
    env = dict(LIMITS, DELTAKER_PROXY_HOPS="1")
    with served(data_dir, tmp_path / "serve.log", env=env) as port, forwarding_proxy(port) as proxy:
        statuses = [
            request(
                proxy,
                f"/r/wrong-{n}",
                source="127.0.6.1",
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status
            for n in range(LIMIT + 1)
        ]
    assert statuses == [404] * LIMIT + [429]
