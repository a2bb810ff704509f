"""The form widgets Scrutineer uses render GOV.UK Frontend 6 markup.

govuk-frontend-wtf is tested upstream against GOV.UK Frontend 5; Scrutineer pairs it with govuk-frontend-jinja 4.1
and GOV.UK Frontend 6.3. These tests render each widget through govuk-frontend-wtf with the options of one of
GOV.UK Frontend's own examples (the `fixtures.json` shipped in the npm package) and compare the two: the same
elements, in the same order, with the same classes and attributes and the same text. A version bump on either side
that changes the markup fails here, naming the element that differs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    Field,
    FileField,
    Form,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.forms import Radios, error_summary, options

COMPONENTS = Path(__file__).resolve().parents[2] / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"
COMPARED = ("id", "name", "type", "for", "aria-describedby", "multiple", "data-module", "value", "checked", "rows")
BOOLEAN = ("multiple", "checked", "disabled", "required")  # multiple, multiple="" and multiple="multiple" are one


def fixture(component: str, name: str) -> dict[str, Any]:
    path = COMPONENTS / component / "fixtures.json"
    assert path.exists(), f"{path} is missing: run `make assets` (npm ci) first"
    found = [f for f in json.loads(path.read_text())["fixtures"] if f["name"] == name]
    assert found, f"GOV.UK Frontend has no {component} example called {name!r}"
    return found[0]


def shape(html: str, ignore: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """The elements of some markup in document order: tag, classes, compared attributes, and own text."""
    soup = BeautifulSoup(html, "html.parser")
    elements = []
    for tag in soup.find_all(True):
        assert isinstance(tag, Tag)
        attributes = tuple(
            (name, "" if name in BOOLEAN else " ".join(value) if isinstance(value, list) else value)
            for name, value in sorted(tag.attrs.items())
            if name in COMPARED and name not in ignore and not (name == "value" and value == "")  # value="" is none
        )
        text = " ".join(s.strip() for s in tag.find_all(string=True, recursive=False) if s.strip())
        elements.append((tag.name, tuple(sorted(tag.get("class") or [])), attributes, text))
    return elements


class Case(NamedTuple):
    component: str
    example: str
    field: Callable[[], Any]  # an unbound WTForms field
    params: dict[str, Any] | None = None
    data: Any = None
    errors: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()  # attributes that legitimately differ, with the reason in the case's comment


CASES = [
    Case("input", "default", lambda: StringField("National Insurance number", name="test-name", widget=GovTextInput())),
    Case(
        "input",
        "with error message",
        lambda: StringField("National Insurance number", name="test-name-3", widget=GovTextInput()),
        params={"id": "input-with-error-message"},
        errors=("Enter a National Insurance number in the correct format",),
    ),
    Case("password-input", "default", lambda: PasswordField("Password", name="password", widget=GovPasswordInput())),
    Case(
        "select",
        "with hint text and error message",
        lambda: SelectField(
            "Label text goes here",
            name="select-2",
            widget=GovSelect(),
            description="Hint text goes here",
            choices=options((str(n), f"GOV.UK frontend option {n}") for n in (1, 2, 3)),
        ),
        errors=("Error message goes here",),
    ),
    Case(
        "radios",
        "with fieldset and error message",
        lambda: RadioField(
            "Have you changed your name?",
            name="example",
            widget=Radios(),
            choices=options([("yes", "Yes"), ("no", "No")]),
        ),
        data="no",
        errors=("Please select an option",),
    ),
    Case(
        "radios",
        "inline",
        lambda: RadioField(
            "Have you changed your name?",
            name="example",
            widget=Radios(),
            description="This includes changing your last name or spelling your name differently.",
            choices=options([("yes", "Yes"), ("no", "No")]),
        ),
        params={"classes": "govuk-radios--inline"},
        data="no",
    ),
    Case(
        "textarea",
        "with error message",
        lambda: TextAreaField(
            "Why can’t you provide a National Insurance number?", name="no-ni-reason", widget=GovTextArea()
        ),
        errors=("You must provide an explanation",),
    ),
    Case(
        "file-upload",
        "with error message and hint",
        lambda: FileField(
            "Upload a file",
            name="file-upload-3",
            widget=GovFileInput(),
            description="Your photo may be in your Pictures, Photos, Downloads or Desktop folder. Or in an app like "
            "iPhoto.",
        ),
        errors=("Error message goes here",),
    ),
    Case(
        "file-upload",
        "enhanced, multiple files",
        lambda: MultipleFileField("Upload files", name="file-upload-3", widget=GovFileInput(multiple=True)),
        params={"javascript": True},
    ),
    # govuk-frontend-wtf names all three boxes of a date after the field (so WTForms' DateField reads them as one
    # value) and gives them ids of its own: names and ids differ from GOV.UK's example by design.
    Case(
        "date-input",
        "with errors only",
        lambda: DateField("What is your date of birth?", name="dob-errors", widget=GovDateInput(), format="%d %m %Y"),
        errors=("Error message goes here",),
        ignore=("id", "name", "for"),
    ),
    # WTForms names a submit button after its field and gives it an id; GOV.UK's example has neither.
    Case(
        "button",
        "secondary",
        lambda: SubmitField("Secondary button", name="secondary", widget=GovSubmitInput()),
        params={"classes": "govuk-button--secondary"},
        ignore=("id", "value"),
    ),
]


def _render(app: Flask, case: Case) -> str:
    form_class = type("OneField", (Form,), {"field": case.field()})
    form = form_class()
    field: Field = form.field  # type: ignore[attr-defined]
    if case.data is not None:
        field.data = case.data
    field.errors = list(case.errors)
    with app.test_request_context():
        return str(field(params=case.params or {}))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.component}: {c.example}")
def test_widget_renders_govuk_frontend_6_markup(app: Flask, case: Case) -> None:
    expected = shape(fixture(case.component, case.example)["html"], case.ignore)
    rendered = shape(_render(app, case), case.ignore)
    for index, (mine, theirs) in enumerate(zip(rendered, expected, strict=False)):
        assert mine == theirs, f"element {index} differs:\n rendered: {mine}\n GOV.UK:   {theirs}"
    assert len(rendered) == len(expected), f"{len(rendered)} elements rendered, GOV.UK has {len(expected)}"


def test_error_summary_links_each_error_to_its_field(app: Flask) -> None:
    """Scrutineer's error summary (govuk-frontend-wtf's, with date links to the day box) is GOV.UK 6's."""

    class Example(Form):
        passport_issued = DateField("Passport issued", widget=GovDateInput(), format="%d %m %Y")
        postcode = StringField("Postcode", widget=GovTextInput())

    form = Example()
    form.passport_issued.errors = ["The date your passport was issued must be in the past"]
    form.postcode.errors = ["Enter a postcode, like AA1 1AA"]
    params = error_summary(form)
    assert [e["href"] for e in params["errorList"]] == ["#passport_issued-day", "#postcode"]
    with app.test_request_context():
        template = app.jinja_env.from_string(
            '{% from "govuk_frontend_jinja/components/error-summary/macro.html" import govukErrorSummary %}'
            "{{ govukErrorSummary(params) }}"
        )
        params["errorList"] = [
            {**item, "href": f"#example-error-{n}"} for n, item in enumerate(params["errorList"], start=1)
        ]
        rendered = template.render(params=params)
    assert shape(rendered) == shape(fixture("error-summary", "default")["html"])
