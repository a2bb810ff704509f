"""Fetching an advert page by URL, without letting a URL reach places it should not (server-side request forgery).

Rules, each checked before any byte is sent:
- http and https only, on their usual ports unless the host is allowed;
- the host name is resolved, and every address it resolves to must be public: loopback, private, link-local
  (which includes cloud metadata at 169.254.169.254), multicast, reserved and unspecified addresses are refused,
  unless the host is listed in SCRUTINEER_FETCH_ALLOW_HOSTS (for intranets and tests);
- the connection goes to the address that was checked (the name is not resolved a second time), so a DNS answer
  that changes between the check and the request cannot redirect it;
- redirects are followed by hand, at most MAX_REDIRECTS, and each new URL is checked again;
- connect and read time-outs, and a cap on the bytes read;
- never linkedin.com: LinkedIn's User Agreement forbids scraping; its data comes in through its exports.

The caller stores the URL, the time and the SHA-256 of the bytes as evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from importers.report import FileRejected

MAX_REDIRECTS = 5
MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0
USER_AGENT = "Scrutineer advert checker (+https://scrutineer.example/about)"
BLOCKED_DOMAINS = ("linkedin.com", "lnkd.in")

Resolver = Callable[[str, int], list[str]]


class FetchRefused(FileRejected):
    """The URL may not be fetched, or fetching failed. The message says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason)


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    requested_url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    sha256: str
    fetched_at: dt.datetime
    redirects: list[str]


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchRefused(host, f"the host name cannot be resolved ({error.strerror or error})") from None
    return sorted({info[4][0] for info in infos})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _blocked_domain(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in BLOCKED_DOMAINS)


@dataclass
class Target:
    url: str
    scheme: str
    host: str
    port: int
    address: str


def check_url(url: str, allow_hosts: Iterable[str] = (), resolver: Resolver = system_resolver) -> Target:
    """Decide whether `url` may be fetched, and the address to connect to. Raises FetchRefused."""
    if len(url) > 2000:
        raise FetchRefused(url[:80] + "…", "the URL is longer than 2,000 characters")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(
            url, f"only http and https addresses can be fetched, not {scheme or 'this'}: give the advert's web address"
        )
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise FetchRefused(url, "the address has no host name")
    if parts.username or parts.password:
        raise FetchRefused(url, "addresses with a user name or password are not fetched")
    if _blocked_domain(host):
        raise FetchRefused(
            url,
            "Scrutineer does not fetch pages from LinkedIn: LinkedIn's User Agreement forbids "
            "scraping. Import LinkedIn's own exports instead (Recruiter Jobs report, job-posting "
            "feed, usage and InMail reports)",
        )
    allowed = {h.lower() for h in allow_hosts}
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchRefused(url, "the address has an invalid port") from None
    addresses = resolver(host, port)
    if not addresses:
        raise FetchRefused(url, "the host name does not resolve to any address")
    if host not in allowed:
        for address in addresses:
            if not is_public(address):
                raise FetchRefused(
                    url,
                    f"{host} resolves to {address}, a private, loopback, link-local or "
                    "reserved address, which Scrutineer does not fetch (an administrator can "
                    "allow an intranet host with SCRUTINEER_FETCH_ALLOW_HOSTS)",
                )
        if port not in (80, 443):
            raise FetchRefused(url, f"port {port} is not fetched: adverts are served on ports 80 and 443")
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connect to the address we checked, while keeping the host name for TLS and the Host header."""

    def __init__(self, target: Target) -> None:
        self.target = target
        super().__init__(max_retries=0)

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        connection_pool_kwargs = self.poolmanager.connection_pool_kw
        if self.target.scheme == "https":
            connection_pool_kwargs["server_hostname"] = self.target.host
            connection_pool_kwargs["assert_hostname"] = self.target.host
        address = self.target.address
        netloc_host = f"[{address}]" if ":" in address else address
        parts = urlsplit(request.url)
        request.url = parts._replace(netloc=f"{netloc_host}:{self.target.port}").geturl()
        request.headers["Host"] = (
            self.target.host if self.target.port in (80, 443) else f"{self.target.host}:{self.target.port}"
        )
        return super().send(request, **kwargs)


def fetch(
    url: str,
    *,
    allow_hosts: Iterable[str] = (),
    resolver: Resolver = system_resolver,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
) -> Fetched:
    """Fetch an advert page under the rules above. Raises FetchRefused with a message for the user."""
    allow = tuple(allow_hosts)
    requested = url
    redirects: list[str] = []
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = check_url(current, allow, resolver)
        with requests.Session() as session:
            session.trust_env = False  # never go through a proxy from the environment
            session.mount(f"{target.scheme}://", _PinnedAdapter(target))
            try:
                response = session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=timeout,
                    headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/json,*/*"},
                )
            except requests.Timeout:
                raise FetchRefused(current, "the site did not answer in time") from None
            except requests.RequestException as error:
                raise FetchRefused(current, f"the page could not be fetched ({type(error).__name__})") from None
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchRefused(current, "the site redirected without saying where")
                    current = urljoin(current, location)
                    redirects.append(current)
                    continue
                if response.status_code >= 400:
                    raise FetchRefused(current, f"the site answered {response.status_code} {response.reason}")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchRefused(current, f"the page is larger than {max_bytes // 1024 // 1024} MB")
                chunks: list[bytes] = []
                size = 0
                try:
                    for chunk in response.iter_content(64 * 1024):
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchRefused(current, f"the page is larger than {max_bytes // 1024 // 1024} MB")
                        chunks.append(chunk)
                except requests.RequestException as error:
                    raise FetchRefused(current, f"the page could not be read ({type(error).__name__})") from None
                content = b"".join(chunks)
                content_type = response.headers.get("Content-Type")
                charset = None
                if content_type and "charset=" in content_type.lower():
                    charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip('"')
                return Fetched(
                    url=current,
                    requested_url=requested,
                    status=response.status_code,
                    content=content,
                    content_type=content_type,
                    charset=charset,
                    sha256=hashlib.sha256(content).hexdigest(),
                    fetched_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    redirects=redirects,
                )
    raise FetchRefused(requested, f"more than {MAX_REDIRECTS} redirects")
