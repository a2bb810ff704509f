"""Fetching adverts by URL, against a real HTTP server on 127.0.0.1 that the test starts."""

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from importers.fetch import FetchRefused, check_url, fetch, is_public


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/advert":
            body = "<html><body><h1>Chief Executive</h1><p>Salary £150,000</p></body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/to-advert":
            self.send_response(301)
            self.send_header("Location", "/advert")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/to-linkedin":
            self.send_response(302)
            self.send_header("Location", "https://www.linkedin.com/jobs/view/123")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x" * 65536)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """The fetcher hangs up on purpose (size cap, time-out); a broken pipe here is expected, not news."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = _QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_loopback_is_refused_unless_allowed(server: str) -> None:
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(server + "/advert")
    page = fetch(server + "/advert", allow_hosts=["127.0.0.1"])
    assert page.status == 200 and b"Chief Executive" in page.content
    assert page.charset == "utf-8" and len(page.sha256) == 64


def test_redirects_are_followed_and_each_rechecked(server: str) -> None:
    page = fetch(server + "/to-advert", allow_hosts=["127.0.0.1"])
    assert page.url.endswith("/advert") and page.redirects
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254"):
        fetch(server + "/to-metadata", allow_hosts=["127.0.0.1"])
    with pytest.raises(FetchRefused, match="redirects"):
        fetch(server + "/loop", allow_hosts=["127.0.0.1"])


def test_size_cap(server: str) -> None:
    with pytest.raises(FetchRefused, match="larger"):
        fetch(server + "/huge", allow_hosts=["127.0.0.1"], max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/advert", "only http and https"),
        ("gopher://example.org", "only http and https"),
        ("https://www.linkedin.com/jobs/view/123", "LinkedIn"),
        ("https://uk.linkedin.com/jobs/view/123", "LinkedIn"),
        ("http://user:pass@example.org/", "user name"),
        ("http://example.org:8080/", "port 8080"),
    ],
)
def test_refused_urls(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused, match=reason):
        check_url(url, resolver=lambda host, port: ["93.184.215.14"])


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_private_addresses_after_dns_resolution_are_refused(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(FetchRefused, match="resolves to"):
        check_url("https://adverts.example.org/job", resolver=lambda host, port: ["93.184.215.14", address])


def test_public_address_is_accepted() -> None:
    target = check_url("https://adverts.example.org/job", resolver=lambda host, port: ["93.184.215.14"])
    assert target.address == "93.184.215.14" and target.port == 443


def test_redirects_to_other_schemes_and_to_linkedin_are_refused(server: str) -> None:
    with pytest.raises(FetchRefused, match="only http and https"):
        fetch(server + "/to-file", allow_hosts=["127.0.0.1"])
    with pytest.raises(FetchRefused, match="exports"):
        fetch(server + "/to-linkedin", allow_hosts=["127.0.0.1"], resolver=lambda host, port: ["127.0.0.1"])


def test_read_time_out_and_declared_size(server: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FetchRefused, match="in time"):
        fetch(server + "/slow", allow_hosts=["127.0.0.1"], timeout=(1.0, 0.3))
    assert time.perf_counter() - started < 1.5
    with pytest.raises(FetchRefused, match="larger than"):
        fetch(server + "/declared-huge", allow_hosts=["127.0.0.1"])
