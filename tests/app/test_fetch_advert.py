"""`flask fetch-advert URL --campaign REF` against a server on 127.0.0.1 that the test starts."""

import hashlib
import json

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from app.extensions import db
from app.models import Advert, Upload
from tests.factories import make_campaign, make_organisation
from tests.importers.test_fetch import server  # noqa: F401 - the fixture


def test_fetch_advert_stores_the_page_with_its_evidence(
    app: Flask,
    runner: FlaskCliRunner,
    server: str,  # noqa: F811
) -> None:
    with app.app_context():
        make_campaign(make_organisation(), "C-1")
    refused = runner.invoke(args=["fetch-advert", server + "/advert", "--campaign", "C-1"])
    assert refused.exit_code == 2 and "loopback" in refused.stderr and refused.stderr.count("\n") == 1
    app.config["SCRUTINEER_FETCH_ALLOW_HOSTS"] = frozenset({"127.0.0.1"})
    result = runner.invoke(args=["fetch-advert", server + "/to-advert", "--campaign", "C-1", "--json"])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["files"]
    with app.app_context():
        advert = db.session.scalar(select(Advert))
        assert advert is not None and advert.title == "Chief Executive"
        assert advert.url == server + "/advert" and advert.fetched_at is not None
        body = "<html><body><h1>Chief Executive</h1><p>Salary £150,000</p></body></html>".encode()
        assert advert.content_sha256 == hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert db.session.scalar(select(Upload.source_url)) == server + "/advert"


def test_linkedin_is_never_fetched(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        make_campaign(make_organisation(), "C-1")
    result = runner.invoke(args=["fetch-advert", "https://www.linkedin.com/jobs/view/3884428798", "--campaign", "C-1"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "LinkedIn" in result.stderr and "exports" in result.stderr
