"""Forms, rendered with GOV.UK Frontend widgets. Every form that posts carries a CSRF token (Flask-WTF); filter forms
that only read (GET) have none.

Campaign values typed into a form are read by the same parsers as the agency template's columns, so "£135,000",
"12.5%" and "yes" mean on a page what they mean in a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    Field,
    Form,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.models import ROLES
from app.services.people import MAX_PASSWORD, MIN_PASSWORD, ROLE_LABELS
from app.services.responses import MAX_NOTE, RESPONSES
from importers.agency_template import CAMPAIGN_FIELDS, FACT_FIELDS
from importers.records import FEE_TYPES, NATIONS, ORGANISATION_TYPES, SALARY_PERIODS

NOT_RECORDED = ""
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"


def error_summary(form: Form) -> dict[str, Any]:
    """The error summary's parameters, each error linked to the input it is about.

    govuk-frontend-wtf links each error to the field's id; a date input has no element with that id, so its link
    goes to the day box, the first input of the three.
    """
    params = wtforms_errors(form)
    dates = {f"#{field.id}" for field in form if isinstance(field.widget, GovDateInput)}
    for item in params["errorList"]:
        if item.get("href") in dates:
            item["href"] = item["href"] + "-day"
    return params


class Radios(GovRadioInput):
    """GOV.UK radios. govuk-frontend-wtf always passes a hint, even an empty one, which would leave an empty hint
    element that the fieldset says describes it; this leaves the hint out when the field has no description."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        hint = params.get("hint") or {}
        if not (hint.get("text") or hint.get("html")):
            params.pop("hint", None)
        return params


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Choices for a select or radios, from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(values: tuple[str, ...], blank: str = "Not recorded") -> list[SelectChoice]:
    return options([(NOT_RECORDED, blank)] + [(value, value.replace("_", " ").capitalize()) for value in values])


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password", widget=GovPasswordInput(), validators=[DataRequired(message="Enter your password"), Length(max=200)]
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that posts, with nothing else: sign out, run an audit, start an import."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class SelfCheckForm(FlaskForm):
    title = StringField("Job title", widget=GovTextInput(), validators=[Length(max=300)])
    text = TextAreaField(
        "Advert text",
        widget=GovTextArea(),
        validators=[Length(max=100_000, message="The advert must be 100,000 characters or fewer")],
    )
    url = StringField(
        "Or the web address of the advert",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=2000, message="The web address must be 2,000 characters or fewer"),
            Regexp(URL_PATTERN, message="Enter a web address that starts with https:// or http://"),
        ],
    )
    submit = SubmitField("Check the advert", widget=GovSubmitInput())

    def validate_text(self, field: Field) -> None:
        if not (field.data or "").strip() and not (self.url.data or "").strip():
            raise ValidationError("Paste the text of the advert, or give its web address")


# --- campaigns ------------------------------------------------------------------------------------------------


class DashboardFilterForm(FlaskForm):
    """Filters for the campaign list. Read from the query string: it changes nothing, so it has no CSRF token."""

    class Meta:
        csrf = False

    agency = SelectField("Agency", widget=GovSelect(), validate_choice=False)
    stage = SelectField("Stage", widget=GovSelect(), validate_choice=False)
    rag = SelectField("Latest rating", widget=GovSelect(), validate_choice=False)
    q = StringField("Reference or role", widget=GovTextInput(), validators=[Length(max=100)])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class TemplateValueField(StringField):
    """A text box read with the parser of an agency-template column: the same rules as an imported file."""

    def __init__(self, label: str, parser: Callable[[object], Any], **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, **kwargs)
        self.parser = parser
        self.parsed: Any = None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        if isinstance(self.data, Decimal):
            return format(self.data, "f")
        if isinstance(self.data, float):
            return format(self.data, "g")
        return str(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.parsed = None

    def pre_validate(self, form: Form) -> None:
        try:
            self.parsed = self.parser(self.data)
        except ValueError as error:
            raise ValidationError(f"{self.label.text}: {error}") from None


class OptionalDateField(DateField):
    """A GOV.UK date input (day, month, year) that may be left empty, but not half filled in."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovDateInput())
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(v).strip() for v in valuelist]
        # The widget shows raw_data as day, month and year: always give it three, whatever was sent.
        self.raw_data = [*parts, "", "", ""][:3]
        if not any(parts):
            self.data = None
            return
        if len(parts) != 3 or not all(parts):
            self.data = None
            raise ValueError(f"{self.label.text} must include a day, month and year")
        try:
            super().process_formdata([" ".join(parts)])
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None
        if self.data is None:
            raise ValueError(f"{self.label.text} must be a real date")


def _template(name: str, label: str, **kwargs: Any) -> TemplateValueField:
    return TemplateValueField(label, CAMPAIGN_FIELDS[name].parser, **kwargs)


class CampaignForm(FlaskForm):
    """The Campaigns row of the agency template, as auditors correct it. The reference is the key, so it is fixed."""

    role_title = _template("role_title", "Role", validators=[Length(max=300)])
    client_organisation = _template("client_organisation", "Client organisation", validators=[Length(max=200)])
    agency_id = SelectField("Agency", widget=GovSelect(), validate_choice=False)
    organisation_type = SelectField("Type of organisation", widget=GovSelect(), choices=_choices(ORGANISATION_TYPES))
    nation = SelectField("Nation", widget=GovSelect(), choices=_choices(NATIONS))
    grade = _template("grade", "Grade or band", validators=[Length(max=100)])
    salary_min = _template("salary_min", "Minimum salary", description="For example, £120,000")
    salary_max = _template("salary_max", "Maximum salary", description="For example, £130,000")
    salary_period = SelectField("Salary period", widget=GovSelect(), choices=_choices(SALARY_PERIODS))
    framework = _template("framework", "Framework", validators=[Length(max=200)])
    contract_ref = _template("contract_ref", "Contract reference", validators=[Length(max=200)])
    fee_type = SelectField("Fee type", widget=GovSelect(), choices=_choices(FEE_TYPES))
    fee_percent = _template("fee_percent", "Fee percentage", description="For example, 25%")
    fee_fixed = _template("fee_fixed", "Fixed fee", description="For example, £30,000")
    guarantee_months = _template("guarantee_months", "Guarantee period in months")
    sla_longlist_days = _template("sla_longlist_days", "Days agreed to deliver the long list")
    sla_shortlist_days = _template("sla_shortlist_days", "Days agreed to deliver the short list")
    brief_date = OptionalDateField("Brief date")
    advert_live_date = OptionalDateField("Date the advert went live")
    closing_date = OptionalDateField("Closing date")
    longlist_date = OptionalDateField("Long list date")
    shortlist_date = OptionalDateField("Short list date")
    interview_date = OptionalDateField("Interview date")
    offer_date = OptionalDateField("Offer date")
    start_date = OptionalDateField("Start date")
    commissioner_chair = RadioField(
        "Did a commissioner chair the panel?",
        widget=Radios(),
        choices=options([("yes", "Yes"), ("no", "No"), ("unknown", "Not recorded")]),
        default="unknown",
        validate_choice=False,
    )
    pay_approval_ref = _template("pay_approval_ref", "Pay approval reference", validators=[Length(max=200)])
    conflict_declaration_date = OptionalDateField("Date conflicts of interest were declared")
    longlist_justification = TextAreaField(
        "Why the long list is as it is",
        widget=GovTextArea(),
        description="Only needed if the long list is not balanced",
        validators=[Length(max=10_000)],
    )
    submit = SubmitField("Save the campaign", widget=GovSubmitInput())

    # Values the service receives, in the template's order.
    TEXT_FIELDS = (
        "role_title",
        "client_organisation",
        "grade",
        "salary_min",
        "salary_max",
        "framework",
        "contract_ref",
        "fee_percent",
        "fee_fixed",
        "guarantee_months",
        "sla_longlist_days",
        "sla_shortlist_days",
        "pay_approval_ref",
    )
    CHOICE_FIELDS = ("organisation_type", "nation", "salary_period", "fee_type")
    DATE_FIELDS = (
        "brief_date",
        "advert_live_date",
        "closing_date",
        "longlist_date",
        "shortlist_date",
        "interview_date",
        "offer_date",
        "start_date",
        "conflict_declaration_date",
    )

    def fact_fields(self) -> list[TemplateValueField]:
        return [getattr(self, "fact_" + name) for name in FACT_FIELDS]

    def values(self) -> dict[str, Any]:
        """The campaign columns as typed values."""
        values: dict[str, Any] = {name: getattr(self, name).parsed for name in self.TEXT_FIELDS}
        values.update({name: getattr(self, name).data or None for name in self.CHOICE_FIELDS})
        values.update({name: getattr(self, name).data for name in self.DATE_FIELDS})
        values["commissioner_chair"] = {"yes": True, "no": False}.get(self.commissioner_chair.data or "")
        values["longlist_justification"] = (self.longlist_justification.data or "").strip() or None
        agency = self.agency_id.data or ""
        values["agency_id"] = int(agency) if agency.isdigit() else None
        return values

    def facts(self) -> dict[str, Any]:
        return {name: getattr(self, "fact_" + name).parsed for name in FACT_FIELDS}


for _name, _spec in FACT_FIELDS.items():
    # Facts some checks need (contract terms, approvals): whatever the template defines, the form offers.
    _label = (_spec.aliases[0] if _spec.aliases else _name.replace("_", " ")).capitalize()
    setattr(CampaignForm, "fact_" + _name, TemplateValueField(_label, _spec.parser))


class FetchAdvertForm(FlaskForm):
    url = StringField(
        "Web address of the advert",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the web address of the advert"),
            Length(max=2000, message="The web address must be 2,000 characters or fewer"),
            Regexp(URL_PATTERN, message="Enter a web address that starts with https:// or http://"),
        ],
    )
    submit = SubmitField("Fetch the advert", widget=GovSubmitInput())


# --- uploads ---------------------------------------------------------------------------------------------------


def upload_limit() -> str:
    """The most one upload may carry (`MAX_CONTENT_LENGTH`), as people read it: "60 MB"."""
    return f"{round(current_app.config['MAX_CONTENT_LENGTH'] / (1024 * 1024), 1):g} MB"


class UploadForm(FlaskForm):
    files = MultipleFileField(
        "Choose files",
        widget=GovFileInput(multiple=True),
        validators=[FileRequired(message="Choose one or more files to upload")],
    )
    campaign = SelectField(
        "Campaign",
        widget=GovSelect(),
        validate_choice=False,
        description="Needed for adverts. A tracker names its campaigns itself.",
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files.description = (
            "Agency trackers (CSV or Excel), LinkedIn exports, or adverts (web pages or text). Up to 10 files at a "
            f"time, {upload_limit()} in all: split a larger file, or ask an administrator to import it from the "
            "command line."
        )


# --- column mappings for files in a layout of their own ------------------------------------------------------------


class MappingTableForm(FlaskForm):
    """What a file in an unknown layout holds, and which of its sheets to map. It only changes what the mapping page
    shows (a GET), so it has no CSRF token."""

    class Meta:
        csrf = False

    table = RadioField("What does each row of the file describe?", widget=Radios(), validate_choice=False)
    sheet = SelectField("Sheet to map", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show the columns", widget=GovSubmitInput())


class ColumnMappingForm(FlaskForm):
    """The mapping page's choices: a select for each column of the file, one for each of its values to translate,
    and the agency when the upload does not say. The selects differ from file to file, so `column_mapping_form`
    adds them; app.services.mapping_pages checks what was chosen."""

    submit = SubmitField("Save the mapping and check the file", widget=GovSubmitInput())


def column_mapping_form(selects: Iterable[tuple[str, str, list[tuple[str, str]], str, str]]) -> ColumnMappingForm:
    """A ColumnMappingForm with these selects: (name, label, choices, chosen value, hint)."""
    fields = {
        name: SelectField(
            label,
            widget=GovSelect(),
            choices=options(choices),
            default=chosen,
            description=hint,
            validate_choice=False,
        )
        for name, label, choices, chosen, hint in selects
    }
    form_class = type("FileColumnMappingForm", (ColumnMappingForm,), fields)
    return form_class()


# --- audits and findings ----------------------------------------------------------------------------------------


class FindingFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Status", widget=GovSelect(), validate_choice=False)
    severity = SelectField("Severity", widget=GovSelect(), validate_choice=False)
    family = SelectField("Area", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Filter findings", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    """An auditor's decision on a finding: accept the risk it describes, or give it another status.

    One set of radios rather than a status revealed under "change the status": GOV.UK's conditional reveal marks
    radios with aria-expanded, which ARIA does not allow on a radio.
    """

    decision = RadioField(
        "Your decision",
        widget=Radios(),
        validators=[DataRequired(message="Choose whether to accept the risk or change the status")],
        validate_choice=False,
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="Say why. The reason is kept in the audit's log.",
        validators=[
            DataRequired(message="Enter the reason for your decision"),
            Length(min=10, message="The reason must be at least 10 characters"),
            Length(max=4000, message="The reason must be 4,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())

    STATUS_LABELS = (("pass", "Pass"), ("warn", "Warn"), ("fail", "Fail"), ("n/a", "N/A"))

    def offer(self, current_status: str) -> None:
        """The decisions open for a finding with this status."""
        self.decision.choices = options(
            [("accepted_risk", "Accept the risk")]
            + [
                (value, f"Change the status to {label}")
                for value, label in self.STATUS_LABELS
                if value != current_status
            ]
        )

    def validate_decision(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:  # type: ignore[union-attr]
            raise ValidationError("Choose whether to accept the risk or change the status")


class ResponseForm(FlaskForm):
    response = RadioField(
        "The agency's response",
        widget=Radios(),
        choices=options((value, value) for value in RESPONSES),
        validators=[DataRequired(message="Choose Agree, Disagree or Remediated")],
    )
    note = TextAreaField(
        "Note",
        widget=GovTextArea(),
        description="What you did, or why you disagree",
        validators=[Length(max=MAX_NOTE, message=f"The note must be {MAX_NOTE:,} characters or fewer")],
    )
    submit = SubmitField("Save the response", widget=GovSubmitInput())


class VerifyForm(FlaskForm):
    workbook = FileField(
        "Workbook",
        widget=GovFileInput(),
        validators=[FileRequired(message="Choose the workbook (.xlsx) to check")],
        description="The .xlsx file Scrutineer produced, for example one attached to a contract",
    )
    submit = SubmitField("Check the workbook", widget=GovSubmitInput())


# --- people ------------------------------------------------------------------------------------------------------

ROLE_CHOICES = options((role, ROLE_LABELS[role]) for role in ROLES)


class InviteForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the email address"), Length(max=254)],
    )
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[DataRequired(message="Enter their name"), Length(max=200)]
    )
    role = RadioField(
        "Role",
        widget=Radios(),
        choices=ROLE_CHOICES,
        validators=[DataRequired(message="Choose a role")],
    )
    agency = SelectField("Agency", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Create the invitation", widget=GovSubmitInput())

    def validate_agency(self, field: Field) -> None:
        if self.role.data == "recruiter" and not (field.data or "").isdigit():
            raise ValidationError("Choose the agency the recruiter works for")


class RoleForm(FlaskForm):
    role = RadioField("Role", widget=Radios(), choices=ROLE_CHOICES, validators=[DataRequired(message="Choose a role")])
    agency = SelectField("Agency", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Save the role", widget=GovSubmitInput())

    def validate_agency(self, field: Field) -> None:
        if self.role.data == "recruiter" and not (field.data or "").isdigit():
            raise ValidationError("Choose the agency the recruiter works for")


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[DataRequired(message="Enter your name"), Length(max=200)]
    )
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD} characters. A few unrelated words make a strong one.",
        validators=[
            DataRequired(message="Create a password"),
            Length(min=MIN_PASSWORD, message=f"The password must be at least {MIN_PASSWORD} characters"),
            Length(max=MAX_PASSWORD, message=f"The password must be {MAX_PASSWORD} characters or fewer"),
        ],
    )
    confirm = PasswordField(
        "Type the password again",
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message="Type the password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Accept and create your account", widget=GovSubmitInput())


class AcceptWithAccountForm(FlaskForm):
    password = PasswordField(
        "Your Scrutineer password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your password"), Length(max=MAX_PASSWORD)],
    )
    submit = SubmitField("Accept the invitation", widget=GovSubmitInput())


class OrganisationForm(FlaskForm):
    organisation = RadioField(
        "Organisation",
        widget=Radios(),
        validators=[DataRequired(message="Choose an organisation")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


# --- checklists ---------------------------------------------------------------------------------------------------

MAX_REASON = 1000
MAX_WORD = 300
MAX_WORDS_TEXT = 50_000


def _reason(label: str = "Reason (optional)", required: str | None = None) -> TextAreaField:
    validators: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=MAX_REASON, message=f"The reason must be {MAX_REASON:,} characters or fewer"))
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description="Recorded with the new version, for example the decision that agreed the change",
        validators=validators,
    )


class ThresholdForm(FlaskForm):
    """A new value for one threshold of a check. Each kind of value has its own subclass, which reads the text typed
    into the type the checklist holds (`typed`); the same value as now is refused, so that every version changes
    something."""

    reason = _reason()
    submit = SubmitField("Save the change", widget=GovSubmitInput())

    def __init__(self, current: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.typed: Any = None

    def read(self, field: Field) -> Any:
        return field.data

    def validate_value(self, field: Field) -> None:
        self.typed = self.read(field)
        if self.typed == self.current:
            raise ValidationError("That is the value now: give a different one")


def _number_text(field: Field) -> str:
    return (field.data or "").replace(",", "").replace(" ", "").strip()


class WholeNumberForm(ThresholdForm):
    value = StringField(
        "New value", widget=GovTextInput(), validators=[DataRequired(message="Enter a whole number, like 30")]
    )

    def read(self, field: Field) -> int:
        text = _number_text(field)
        if not re.fullmatch(r"\d{1,12}", text):
            raise ValidationError("Enter a whole number of 0 or more, like 30, with no decimal point")
        return int(text)


class DecimalForm(ThresholdForm):
    value = StringField(
        "New value", widget=GovTextInput(), validators=[DataRequired(message="Enter a number, like 0.3")]
    )

    def read(self, field: Field) -> float:
        text = _number_text(field)
        if not re.fullmatch(r"\d{1,12}(\.\d{1,12})?|\.\d{1,12}", text):
            raise ValidationError("Enter a number of 0 or more, like 0.3")
        return float(text)


class YesNoForm(ThresholdForm):
    value = RadioField(
        "New value",
        widget=Radios(),
        choices=options([("true", "Yes"), ("false", "No")]),
        validators=[DataRequired(message="Choose yes or no")],
    )

    def read(self, field: Field) -> bool:
        return field.data == "true"


class ChoiceForm(ThresholdForm):
    """A status or a severity: radios, with the choices set by the view."""

    value = RadioField(
        "New value", widget=Radios(), validators=[DataRequired(message="Choose one")], validate_choice=False
    )

    def read(self, field: Field) -> str:
        if field.data not in {choice.value for choice in field.choices or []}:  # type: ignore[union-attr]
            raise ValidationError("Choose one of the options")
        return str(field.data)


class TextForm(ThresholdForm):
    value = StringField(
        "New value",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the new value"),
            Length(max=MAX_WORD, message=f"The value must be {MAX_WORD} characters or fewer"),
        ],
    )

    def read(self, field: Field) -> str:
        return str(field.data).strip()


class WordsForm(ThresholdForm):
    value = TextAreaField(
        "Words and phrases, one a line",
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Enter at least one word or phrase"),
            Length(max=MAX_WORDS_TEXT, message=f"The list must be {MAX_WORDS_TEXT:,} characters or fewer"),
        ],
    )

    def read(self, field: Field) -> list[str]:
        words = [line.strip() for line in str(field.data).splitlines() if line.strip()]
        if not words:
            raise ValidationError("Enter at least one word or phrase")
        long = next((word for word in words if len(word) > MAX_WORD), None)
        if long is not None:
            raise ValidationError(f"Each line must be {MAX_WORD} characters or fewer: “{long[:40]}…” is longer")
        return words


class SeverityForm(FlaskForm):
    severity = RadioField(
        "Severity",
        widget=Radios(),
        validators=[DataRequired(message="Choose a severity")],
        validate_choice=False,
    )
    reason = _reason()
    submit = SubmitField("Save the change", widget=GovSubmitInput())

    def __init__(self, current: str, choices: Iterable[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.severity.choices = options(choices)

    def validate_severity(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices or []}:  # type: ignore[union-attr]
            raise ValidationError("Choose a severity")
        if field.data == self.current:
            raise ValidationError("That is the severity now: choose a different one")


class SwitchOffForm(FlaskForm):
    reason = _reason("Why are you switching this check off?", required="Enter why you are switching the check off")
    submit = SubmitField("Switch the check off", widget=GovSubmitInput())


class SwitchOnForm(FlaskForm):
    reason = _reason()
    submit = SubmitField("Switch the check on", widget=GovSubmitInput())


# --- the agency's answers in a returned workbook ------------------------------------------------------------------


class AnswersForm(FlaskForm):
    workbook = FileField(
        "Workbook with the agency's answers",
        widget=GovFileInput(),
        validators=[FileRequired(message="Choose the workbook with the agency's answers (.xlsx)")],
        description="This audit's workbook (.xlsx) with the Agency response and Response note columns filled in",
    )
    submit = SubmitField("Upload the answers", widget=GovSubmitInput())
