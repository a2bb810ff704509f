"""Fixtures for the web app's tests: the demo data loaded into the test database, and a local job site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.extensions import db

ADVERTS = Path(__file__).resolve().parents[1] / "fixtures" / "adverts"


@pytest.fixture
def demo_app(app: Flask, demo_snapshot: Any) -> Flask:
    """The app with the demo organisations, users, campaigns and audits (loaded once per session, restored here)."""
    with app.app_context():
        demo_snapshot.restore()
        db.session.remove()
    return app


class _AdvertPages(SimpleHTTPRequestHandler):
    """Serves the advert fixtures, as a job site would."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(ADVERTS), **kwargs)

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def advert_site(app: Flask) -> Iterator[str]:
    """A web server on 127.0.0.1 with the advert fixtures, which advert fetching is allowed to reach."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AdvertPages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["SCRUTINEER_FETCH_ALLOW_HOSTS"] = frozenset({"127.0.0.1"})
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
