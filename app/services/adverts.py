"""Adverts fetched by URL: fetched safely (see importers/fetch.py), then imported like an uploaded page."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from app.models import Organisation, User
from app.services.imports import ImportOutcome, import_file
from importers.fetch import Fetched, fetch


def fetch_page(url: str) -> Fetched:
    return fetch(url, allow_hosts=current_app.config["SCRUTINEER_FETCH_ALLOW_HOSTS"])


def page_name(fetched: Fetched) -> str:
    parts = urlsplit(fetched.url)
    return (parts.netloc + parts.path)[:300] or fetched.url[:300]


def fetch_advert(organisation: Organisation, url: str, campaign_ref: str, user: User | None = None) -> ImportOutcome:
    """Fetch an advert page and import it into a campaign, keeping its URL, time and SHA-256 as evidence."""
    fetched = fetch_page(url)
    with tempfile.TemporaryDirectory(prefix="scrutineer-fetch-") as folder:
        path = Path(folder) / "page"
        path.write_bytes(fetched.content)
        return import_file(
            organisation, path, page_name(fetched), campaign_ref=campaign_ref, user=user, fetched=fetched
        )
