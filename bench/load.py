"""A bounded load test for Scrutineer's web app on loopback: signed-in users browsing dashboards, campaigns and
audits.

Each simulated user signs in (GET the form for its CSRF token, POST the credentials), then keeps requesting pages
it found by following links: the dashboard, campaign pages and audit pages. Between pages it reads for a random
think time (`think`, seconds, uniform), as people do; with no think time each user asks for its next page as soon as
the last arrives, which measures the server's capacity rather than what 50 people browsing would see. Users may
start one after another over a ramp-up (`ramp`, seconds), as people arrive, rather than all in the same instant.
It is a small asyncio HTTP/1.1 client, so the load generator itself uses little CPU beside the server.

Bounds, enforced here whatever the caller asks: at most MAX_USERS users, MAX_SECONDS seconds and MAX_REQUESTS
requests, and only 127.0.0.1 or ::1.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

MAX_USERS = 200
MAX_SECONDS = 120
MAX_REQUESTS = 200_000
LOOPBACK = ("127.0.0.1", "::1")
_TOKEN = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
_LINK = re.compile(rb'href="(/[^"#?]*)"')
_HEADING = re.compile(rb"<h1[^>]*>([^<]+)</h1>")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    server_pages: dict[str, int] = field(default_factory=dict)  # 5xx pages by their <h1>: what users were told
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, status)

    def summary(self, seconds: float) -> dict[str, float | int | str]:
        ordered = sorted(self.latencies)

        def percentile(p: float) -> float:
            if not ordered:
                return 0.0
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

        failed = sum(v for k, v in self.statuses.items() if k >= 400) + len(self.errors)
        return {
            "requests": self.requests,
            "requests_per_second": round(self.requests / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(50), 1),
            "p95_ms": round(percentile(95), 1),
            "p99_ms": round(percentile(99), 1),
            "max_ms": round(max(ordered) * 1000, 1) if ordered else 0.0,
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else 0.0,
            "errors": failed,
            "statuses": ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items())),
            "first_error": self.errors[0] if self.errors else "",
            "server_error_pages": "; ".join(f"{k}: {v}" for k, v in self.server_pages.items()),
        }


async def _request(
    host: str, port: int, method: str, path: str, cookies: dict[str, str], body: bytes = b""
) -> tuple[int, dict[str, list[str]], bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        headers = [
            f"{method} {path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Connection: close",
            "User-Agent: scrutineer-load",
        ]
        if cookies:
            headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if body:
            headers += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        received: dict[str, list[str]] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                received.setdefault(name.strip().lower(), []).append(value.strip())
        length = received.get("content-length")
        content = await (reader.readexactly(int(length[0])) if length else reader.read())
        for cookie in received.get("set-cookie", []):
            name, _, rest = cookie.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return status, received, content
    finally:
        writer.close()


class User:
    def __init__(
        self,
        host: str,
        port: int,
        email: str,
        password: str,
        stats: Stats,
        deadline: float,
        budget: list[int],
        seed: int,
        think: tuple[float, float] = (0.0, 0.0),
        delay: float = 0.0,
    ) -> None:
        self.host, self.port, self.email, self.password = host, port, email, password
        self.think, self.delay = think, delay
        self.stats, self.deadline, self.budget = stats, deadline, budget
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, list[str]] = {"dashboard": ["/campaigns/"], "campaign": [], "audit": []}
        self.random = random.Random(seed)
        self.started = time.perf_counter()

    async def get(self, path: str) -> bytes | None:
        if self.budget[0] <= 0 or time.perf_counter() >= self.deadline:
            return None
        self.budget[0] -= 1
        started = time.perf_counter()
        try:
            status, _headers, content = await _request(self.host, self.port, "GET", path, self.cookies)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.errors.append(f"{path}: {type(error).__name__}")
            return b""
        self.stats.latencies.append(time.perf_counter() - started)
        self.stats.requests += 1
        self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1
        self.stats.timeline.append((started - self.started, status))
        if status >= 500:
            heading = _HEADING.search(content)
            said = heading.group(1).decode("utf-8", "replace").strip() if heading else "(no heading: a bare error)"
            self.stats.server_pages[said] = self.stats.server_pages.get(said, 0) + 1
        return content

    async def sign_in(self) -> bool:
        try:
            _status, _headers, form = await _request(self.host, self.port, "GET", "/sign-in", self.cookies)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.errors.append(f"/sign-in: {type(error).__name__}")
            return False
        token = _TOKEN.search(form)
        if not token:
            self.stats.errors.append("no CSRF token on /sign-in")
            return False
        body = urlencode(
            {"email": self.email, "password": self.password, "csrf_token": token.group(1).decode()}
        ).encode()
        status, _headers, _content = await _request(self.host, self.port, "POST", "/sign-in", self.cookies, body)
        if status != 302:
            self.stats.errors.append(f"sign-in of {self.email} answered {status}")
            return False
        return True

    def learn(self, content: bytes) -> None:
        for match in _LINK.finditer(content):
            path = match.group(1).decode()
            if re.fullmatch(r"/campaigns/\d+", path) and path not in self.pages["campaign"]:
                self.pages["campaign"].append(path)
            elif (
                "/audits/" in path
                and not path.endswith(("/workbook", "/download"))
                and path not in self.pages["audit"]
                and len(self.pages["audit"]) < 200
            ):
                self.pages["audit"].append(path)

    async def browse(self) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if not await self.sign_in():
            return
        while True:
            kinds = [k for k in ("dashboard", "campaign", "audit") if self.pages[k]]
            kind = self.random.choices(kinds, weights=[{"dashboard": 3, "campaign": 4, "audit": 3}[k] for k in kinds])[
                0
            ]
            content = await self.get(self.random.choice(self.pages[kind]))
            if content is None:
                return
            self.learn(content)
            if self.think[1] > 0:
                await asyncio.sleep(min(self.random.uniform(*self.think), max(self.deadline - time.perf_counter(), 0)))


async def _run(
    host: str,
    port: int,
    users: list[tuple[str, str]],
    seconds: float,
    max_requests: int,
    think: tuple[float, float] = (0.0, 0.0),
    ramp: float = 0.0,
) -> Stats:
    stats = Stats()
    deadline = time.perf_counter() + seconds
    budget = [max_requests]
    crowd = [
        User(
            host,
            port,
            email,
            password,
            stats,
            deadline,
            budget,
            seed=index,
            think=think,
            delay=ramp * index / max(len(users), 1),
        )
        for index, (email, password) in enumerate(users)
    ]
    await asyncio.gather(*(user.browse() for user in crowd))
    return stats


def run_with_stats(
    port: int,
    users: list[tuple[str, str]],
    *,
    seconds: float = 60,
    max_requests: int = 100_000,
    host: str = "127.0.0.1",
    think: tuple[float, float] = (0.0, 0.0),
    ramp: float = 0.0,
) -> tuple[dict[str, float | int | str], Stats]:
    """Run the load; return its figures and the raw statistics. Refuses anything but loopback and caps users, time
    and requests."""
    if host not in LOOPBACK:
        raise ValueError("the load test only targets 127.0.0.1 or ::1")
    users = users[:MAX_USERS]
    seconds = min(seconds, MAX_SECONDS)
    max_requests = min(max_requests, MAX_REQUESTS)
    started = time.perf_counter()
    stats = asyncio.run(_run(host, port, users, seconds, max_requests, think, ramp))
    figures = stats.summary(time.perf_counter() - started)
    figures["users"] = len(users)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures, stats


def run(
    port: int,
    users: list[tuple[str, str]],
    *,
    seconds: float = 60,
    max_requests: int = 100_000,
    host: str = "127.0.0.1",
    think: tuple[float, float] = (0.0, 0.0),
    ramp: float = 0.0,
) -> dict[str, float | int | str]:
    """Run the load and return its figures. Users start evenly over the first `ramp` seconds."""
    return run_with_stats(port, users, seconds=seconds, max_requests=max_requests, host=host, think=think, ramp=ramp)[0]
