"""Forms, rendered with GOV.UK Frontend widgets. Every form carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


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
    """A button that posts, with nothing else: sign out, run an audit."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class SelfCheckForm(FlaskForm):
    title = StringField("Job title", widget=GovTextInput(), validators=[Length(max=300)])
    text = TextAreaField(
        "Advert text",
        widget=GovTextArea(),
        validators=[
            DataRequired(message="Paste the text of the advert"),
            Length(max=100_000, message="The advert must be 100,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Check the advert", widget=GovSubmitInput())
