"""The event log is append-only: the database itself refuses updates and deletes."""

import pytest
from flask import Flask
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from app.dao import events, transaction
from app.extensions import db
from app.models import Event


def test_events_cannot_be_changed_or_deleted(ctx: Flask) -> None:
    with transaction():
        events.record("test.happened", organisation_id=None, actor_label="test")
    for statement in (update(Event).values(action="test.rewritten"), delete(Event)):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
            db.session.commit()
        db.session.rollback()
    assert db.session.scalar(text("SELECT action FROM event")) == "test.happened"


def test_the_code_has_no_path_that_updates_or_deletes_events() -> None:
    import inspect

    import app.dao.events as module

    source = inspect.getsource(module)
    assert "update(" not in source and "delete(" not in source and ".delete" not in source
