"""Scrutineer's Flask application: `create_app(config)` builds it.

`config` is the name of a configuration class ("development", "test", "production"; default from
SCRUTINEER_ENV), or a mapping of settings to apply on top of it (tests use this).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import config_for
from app.extensions import csrf, db, login_manager, migrate
from app.jobs import JobQueueUnavailable

__version__ = "0.1.0"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ERROR_TITLES = {
    400: "There is a problem with your request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}
DATABASE_DOWN = (
    "Scrutineer cannot reach its database just now, perhaps because it is restarting. Wait a minute and try again."
)
QUEUE_DOWN = (
    "Scrutineer cannot reach its job queue just now, so the work was not started. It is listed as failed "
    "on your jobs page; wait a minute and try again."
)


def create_app(config: str | Mapping[str, Any] | None = None) -> Flask:
    overrides: Mapping[str, Any] = config if isinstance(config, Mapping) else {}
    name = config if isinstance(config, str) else overrides.get("ENV_NAME")
    config_class = config_for(name)

    app = Flask(
        __name__,
        instance_path=os.environ.get("SCRUTINEER_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        static_url_path="/assets",
    )
    instance = Path(overrides.get("INSTANCE_PATH", app.instance_path))
    app.config.from_mapping(config_class.from_environment(instance))
    app.config.from_mapping(overrides)
    Path(app.config["SCRUTINEER_UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)

    hops = int(app.config.get("SCRUTINEER_PROXY_HOPS", 0) or 0)
    if hops:
        # Behind a TLS proxy: take the client's address and scheme from the proxy's X-Forwarded-* headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _configure_templates(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    WTFormsHelpers(app)
    _configure_database(app)

    from app import (  # noqa: F401 - tasks registers the job kinds
        admin,
        answers,
        auth,
        campaigns,
        checklists_web,
        cli,
        findings,
        jobs_web,
        main,
        procurement,
        scorecards_web,
        tasks,
        uploads,
    )
    from app.forms import error_summary, upload_limit

    for blueprint in (
        main.bp,
        auth.bp,
        campaigns.bp,
        findings.bp,
        answers.bp,
        uploads.bp,
        jobs_web.bp,
        checklists_web.bp,
        scorecards_web.bp,
        admin.bp,
        procurement.bp,
    ):
        app.register_blueprint(blueprint)
    app.add_template_global(error_summary)
    app.add_template_global(upload_limit)
    cli.register(app)
    _register_error_pages(app)
    _security_headers(app)
    logging.getLogger("scrutineer").setLevel(logging.INFO)
    return app


def _configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,  # type: ignore[list-item]
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # govuk-frontend-jinja's macros read optional params (params.x.y); ChainableUndefined lets them be absent.
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.globals["scrutineer_version"] = __version__


# The page size of a new SQLite database. SQLite's default is 4 KiB; with 16 KiB a million-row import writes fewer,
# fuller pages (fewer B-tree splits, fewer WAL frames) and its commit copies fewer frames back. In raw sqlite3, a
# million candidate rows with the campaign index took a median 13.5 s with 4 KiB pages against 9.9 s with 16 KiB
# (three alternating runs each), and the commit 3.2-3.6 s against 2.3-2.6 s. 16 KiB is InnoDB's page, twice
# PostgreSQL's; 32 KiB measured within the noise of 16. A database made with another size keeps it.
SQLITE_PAGE_BYTES = 16_384


def _configure_database(app: Flask) -> None:
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
                cursor = dbapi_connection.cursor()
                # Only takes effect while the file is still empty, so it must come before journal_mode=WAL, which
                # writes the file's header; on an existing database it changes nothing.
                cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_BYTES}")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute("PRAGMA busy_timeout=10000")
                cursor.close()

    # Runs before Flask-SQLAlchemy's own teardown (Flask runs them last registered first), whose session.remove()
    # would raise when the database restarted mid-request, and turn a page already written into a bare error.
    @app.teardown_appcontext
    def _end_session(_error: BaseException | None) -> None:
        _remove_session_safely()


def _remove_session_safely() -> None:
    """End the request's database session; if its connection was cut (the server restarted), throw the connection
    away rather than fail: the page has been written, and the pool opens a new connection for the next request."""
    try:
        db.session.remove()
    except (OperationalError, InterfaceError):
        registry = db.session.registry
        if registry.has():
            try:
                registry().invalidate()  # closes the connection instead of returning it to the pool mid-transaction
            except Exception:  # nothing more can be done with a connection that is gone
                logging.getLogger("scrutineer").exception("Could not discard a broken database connection")
        registry.clear()


def _register_error_pages(app: Flask) -> None:
    def render_error(code: int, message: str | None = None) -> tuple[str, int]:
        title = ERROR_TITLES.get(code, ERROR_TITLES[500])
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if code == 400 and "CSRF" in (error.description or ""):
            return render_error(
                400, "The form had expired or was sent from somewhere else. Go back, reload the page and try again."
            )
        return render_error(code)

    def render_unavailable(message: str) -> tuple[str, int]:
        try:
            db.session.rollback()
        except Exception:  # the connection itself is gone
            _remove_session_safely()
        # Straight from the Jinja environment: render_template would run the context processors, and Flask-Login's
        # looks the signed-in user up in the database that is not answering.
        page = app.jinja_env.get_template("errors/unavailable.html")
        return page.render(title=ERROR_TITLES[503], message=message, request=request), 503

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception) -> tuple[str, int]:
        app.logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)
        return render_unavailable(DATABASE_DOWN)

    @app.errorhandler(JobQueueUnavailable)
    def queue_unavailable(error: Exception) -> tuple[str, int]:
        app.logger.error("Job queue unavailable on %s %s: %s", request.method, request.path, error)
        return render_unavailable(QUEUE_DOWN)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        # Never show a stack trace: log it, and show the error page.
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
            return render_error(500)
        except Exception:  # the error page itself failed (the database, most likely): show the one that needs nothing
            app.logger.exception("The error page failed too")
            return render_unavailable(DATABASE_DOWN)


def _security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
