"""Fixtures for the web app's tests: the demo data loaded into the test database."""

from __future__ import annotations

import pytest
from flask import Flask

from app.services import demo


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """The app with the demo organisations, users, campaigns and audits."""
    with app.app_context():
        demo.load_demo(echo=lambda *args, **kwargs: None)
    return app
