"""Error pages: each HTTP error a user can meet is a page in the same design, titled, with what to do next, and
never a stack trace."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask, abort

from tests.app.web import sign_in
from tests.pages import check_page

CODES = {
    400: "There is a problem with your request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _with_failing_routes(app: Flask) -> Flask:
    """Routes, for this test only, that fail in each way."""
    failing = Blueprint("failing", __name__)

    @failing.route("/test-errors/<int:code>")
    def fail(code: int) -> str:
        abort(code)

    @failing.route("/test-errors/crash")
    def crash() -> str:
        raise RuntimeError("secret detail that must not be shown")

    app.register_blueprint(failing)
    return app


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_error_page(demo_app: Flask, signed_in: bool) -> None:
    app = _with_failing_routes(demo_app)
    client = app.test_client()
    if signed_in:
        sign_in(client, "auditor@demo.example")
    for code, title in CODES.items():
        response = client.get(f"/test-errors/{code}")
        assert response.status_code == code
        html = response.get_data(as_text=True)
        soup = check_page(html, f"error {code}")
        assert soup.h1.get_text(strip=True) == title
        assert soup.title.get_text(strip=True).startswith(title)
        assert "Traceback" not in html and "werkzeug" not in html.lower()
    crash = client.get("/test-errors/crash")
    assert crash.status_code == 500
    assert "secret detail" not in crash.get_data(as_text=True) and "Traceback" not in crash.get_data(as_text=True)
    check_page(crash.get_data(as_text=True), "crash")


def test_a_wrong_method_is_the_405_page(demo_app: Flask) -> None:
    client = demo_app.test_client()
    response = client.put("/sign-in")
    assert response.status_code == 405
    check_page(response.get_data(as_text=True), "405")
