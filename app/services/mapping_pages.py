"""The column-mapping page: a file in a layout Scrutineer does not know, matched column by column to the template.

For the table the file most likely holds (or the one the person chooses), the page lists each of the file's columns
with its first values, the template field suggested for it with how sure the suggestion is and why
(importers.mapping.suggest), and a choice of field or "do not import". For coded fields (stages, sources, sex …) it
lists the file's values that are none of the template's codes, each with a choice of code. The first values include
candidate identifiers, so that a person can recognise the columns: they are read from the pending file each time the
page is shown, and never stored.

Confirming checks the choices (each field from one column, the required fields present, every listed value given a
meaning, an agency), reads the file again through the mapping exactly as the upload preview does, and saves the
mapping for the agency (app.services.mapping.save_mapping), so that the next file with the same header row from
that agency is read the same way without asking. The upload preview then shows what was read and offers the import,
whose job receives the mapping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.dao import organisations as organisations_dao
from app.dao import transaction
from app.models import Agency, Campaign, Membership
from app.services import mapping as mapping_service
from app.services import previews
from app.services.previews import Batch, FilePreview, PreviewRefused
from importers import FileRejected
from importers.agency_template import CODES, TABLES
from importers.mapping import (
    SAMPLE_ROWS,
    ColumnMapping,
    MappingError,
    MappingSuggestion,
    TableMapping,
    suggest,
)
from importers.tabular import Row, is_blank, sheets_for, sniff
from importers.values import clean_text, header_key

SHOWN_VALUES = 3  # first values shown for each column
SHOWN_CHARS = 40
MAX_CODES = 25  # a coded column's unknown values offered for translation
UNSURE_MARGIN = 1.0  # another table's suggestion this close to the best one: the page asks what the file holds
MISSING_PENALTY = 1.5  # as importers.mapping scores a suggestion that lacks a required field
NOT_IMPORTED = ""
NOT_RECORDED = "not-recorded"  # a value that means nothing the template records: the field is left empty
TABLE_LABELS = {
    "candidates": "Candidates: one row for each candidate in a campaign",
    "campaigns": "Campaigns: one row for each campaign",
    "outreach": "Outreach: one row for each message sent to a possible candidate",
}
_FIELD_LABELS = {
    "campaign_ref": "Campaign reference",
    "candidate_ref": "Candidate reference",
    "dc_opt_in": "Disability Confident opt-in",
}
_WORDS = {"Linkedin": "LinkedIn", "linkedin": "LinkedIn", "Inmail": "InMail", "inmail": "InMail"}


class NotMappable(LookupError):
    """No such file in the batch, or a file that needs no column mapping."""


def field_label(name: str) -> str:
    """A template field in words: "stage_reached" is "Stage reached"."""
    return _FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def code_label(code: str) -> str:
    """A template code in words: "linkedin_inmail" is "LinkedIn InMail"."""
    return " ".join(_WORDS.get(word, word) for word in code.replace("_", " ").capitalize().split())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


@dataclass
class ColumnRow:
    """One column of the file, as the page shows it."""

    position: int  # 0-based, in the header row
    header: str
    samples: list[str]
    suggested: str | None
    confidence: float
    reason: str
    alternatives: dict[str, float]
    chosen: str | None  # what the select shows: posted, saved earlier, or suggested

    @property
    def name(self) -> str:
        return f"column-{self.position}"

    @property
    def sureness(self) -> str:
        if self.confidence >= 0.8:
            return "Very likely"
        if self.confidence >= 0.6:
            return "Likely"
        return "Possible"

    def fit(self, name: str) -> float:
        return self.confidence if self.suggested == name else self.alternatives.get(name, 0.0)


@dataclass
class Translation:
    """One of the file's values in a coded column that is none of the template's codes."""

    field: str
    column: str
    value: str
    chosen: str | None

    @property
    def name(self) -> str:
        return f"value-{self.field}-{_digest(self.value)}"


@dataclass
class TranslationGroup:
    column: str
    field: str
    items: list[Translation]
    more: int  # further unknown values not listed


@dataclass
class MappingPage:
    batch: Batch
    file: FilePreview
    path: Path
    campaign: Campaign | None
    table: str
    sure: bool  # False: the page asks what the file holds
    sheet: str | None
    sheets: list[str]
    header_row: int
    columns: list[ColumnRow]
    translations: list[Translation]
    more_codes: dict[str, int]
    required: list[str]
    agency: Agency | None  # the agency the mapping is saved for, when the upload says which
    agency_reason: str
    agencies: list[Agency]  # to choose from, when it does not
    chosen_agency: str
    existing: TableMapping | None  # the mapping the file is read with now, if any

    @property
    def tables(self) -> list[tuple[str, str]]:
        return list(TABLE_LABELS.items())

    @property
    def groups(self) -> list[TranslationGroup]:
        groups: dict[str, TranslationGroup] = {}
        for item in self.translations:
            group = groups.setdefault(item.field, TranslationGroup(item.column, item.field, [], 0))
            group.items.append(item)
        for group in groups.values():
            group.more = self.more_codes.get(group.field, 0)
        return list(groups.values())

    def field_choices(self) -> list[tuple[str, str]]:
        return [(NOT_IMPORTED, "Do not import this column")] + [
            (name, field_label(name)) for name in TABLES[self.table]
        ]

    def selects(self) -> list[tuple[str, str, list[tuple[str, str]], str, str]]:
        """The page's selects for the form: (name, label, choices, chosen value, hint)."""
        found = [
            (column.name, f"Use “{column.header}” as", self.field_choices(), column.chosen or NOT_IMPORTED, "")
            for column in self.columns
        ]
        for item in self.translations:
            choices = [("", "Choose a value")] + [(code, code_label(code)) for code in CODES[item.field]]
            choices.append((NOT_RECORDED, "Not recorded"))
            found.append((item.name, item.value, choices, item.chosen or "", ""))
        if self.agencies:
            found.append(
                (
                    "agency",
                    "Which agency's layout is this?",
                    [("", "Choose an agency")] + [(str(a.id), a.name) for a in self.agencies],
                    self.chosen_agency,
                    "Scrutineer keeps the mapping for this agency, and reads its next file with the same columns "
                    "the same way",
                )
            )
        return found

    def column_for(self, name: str, taken: set[str]) -> ColumnRow | None:
        """The column most likely to hold a field, among those with no error yet."""
        free = [column for column in self.columns if column.name not in taken]
        return max(free, key=lambda column: (column.fit(name), column.chosen is None), default=None)


@dataclass
class Outcome:
    """What confirming a mapping came to: errors by form field, a problem with the file as a whole, or the file's
    new preview."""

    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    preview: FilePreview | None = None


# --- the page ------------------------------------------------------------------------------------------------


def _file(batch: Batch, index: int) -> FilePreview:
    found = next((f for f in batch.files if f.index == index), None)
    if found is None or not found.needs_mapping:
        raise NotMappable(index)
    return found


def _suggestions(path: Path, name: str) -> dict[str, list[MappingSuggestion]]:
    try:
        return {table: suggest(path, name, table) for table in TABLES}
    except FileRejected as error:
        raise PreviewRefused(f"Scrutineer cannot match the columns of {name}: {error.reason}") from None


def _missing(suggestion: MappingSuggestion, campaign: Campaign | None) -> list[str]:
    return [name for name in suggestion.missing if not (name == "campaign_ref" and campaign is not None)]


def _score(suggestion: MappingSuggestion, campaign: Campaign | None) -> float:
    mapped = sum(column.confidence for column in suggestion.columns if column.field)
    return mapped - MISSING_PENALTY * len(_missing(suggestion, campaign))


def _existing(preview: FilePreview) -> TableMapping | None:
    if not preview.mapping:
        return None
    try:
        tables = ColumnMapping.from_json(preview.mapping).tables
    except MappingError:
        return None
    return next(iter(tables.values()), None)


def _read_table(path: Path, name: str, sheet_name: str | None, header_row: int) -> tuple[list[str], list[Row]]:
    """The header row and the first rows below it, of one sheet (the one table of a CSV file)."""
    header: list[str] = []
    rows: list[Row] = []
    done = False
    for sheet in sheets_for(path, name, sniff(path, name)):
        try:
            if done or (sheet_name is not None and sheet.name != sheet_name):
                continue
            done = True
            for number, row in sheet.rows:
                if number == header_row:
                    header = ["" if cell is None else str(cell).strip() for cell in row]
                elif number > header_row and not is_blank(row):
                    rows.append(row)
                    if len(rows) >= SAMPLE_ROWS:
                        break
        finally:
            close = getattr(sheet.rows, "close", None)
            if close:
                close()
    return header, rows


def _shown(cell: object) -> str | None:
    if clean_text(cell) is None:
        return None
    return previews.shown(cell, SHOWN_CHARS)


def _columns(
    suggestion: MappingSuggestion,
    header: list[str],
    rows: list[Row],
    existing: TableMapping | None,
    posted: Mapping[str, str] | None,
) -> list[ColumnRow]:
    saved = {header_key(source): target for source, target in existing.columns.items()} if existing else {}
    used: set[int] = set()
    columns = []
    for item in suggestion.columns:
        position = next((i for i, text in enumerate(header) if text == item.column and i not in used), None)
        if position is None:
            continue
        used.add(position)
        samples = [text for row in rows if (text := _shown(row[position] if position < len(row) else None))]
        column = ColumnRow(
            position=position,
            header=item.column,
            samples=samples[:SHOWN_VALUES],
            suggested=item.field,
            confidence=item.confidence,
            reason=item.reason,
            alternatives=dict(item.alternatives),
            chosen=item.field,
        )
        if posted is not None:
            column.chosen = posted.get(column.name) or None
        elif header_key(item.column) in saved:
            column.chosen = saved[header_key(item.column)]
        columns.append(column)
    return columns


def _translations(
    table: str,
    columns: list[ColumnRow],
    rows: list[Row],
    suggestion: MappingSuggestion,
    existing: TableMapping | None,
    posted: Mapping[str, str] | None,
) -> tuple[list[Translation], dict[str, int]]:
    """The values of coded columns that are none of the template's codes, each with the meaning to show for it."""
    found: list[Translation] = []
    more: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for column in columns:
        name = column.chosen
        if name not in CODES or name not in TABLES[table]:
            continue
        parser = TABLES[table][name].parser
        saved = {header_key(k): v for k, v in (existing.values.get(name, {}) if existing else {}).items()}
        proposed = suggestion.values.get(name, {})
        count = 0
        for row in rows:
            text = clean_text(row[column.position]) if column.position < len(row) else None
            if text is None or (name, text) in seen:
                continue
            seen.add((name, text))
            try:
                parser(text)
                continue  # one of the template's codes, or a spelling of one
            except ValueError:
                pass
            count += 1
            if count > MAX_CODES:
                more[name] = more.get(name, 0) + 1
                continue
            item = Translation(name, column.header, text, None)
            if posted is not None and item.name in posted:
                item.chosen = posted[item.name] or None
            elif header_key(text) in saved:
                item.chosen = saved[header_key(text)] or NOT_RECORDED
            else:
                item.chosen = proposed.get(text)
            found.append(item)
    return found, more


def _agency(membership: Membership, campaign: Campaign | None) -> tuple[Agency | None, str]:
    agency = previews.agency_for_mapping(membership, campaign)
    if membership.role == "recruiter":
        if agency is None:
            raise PreviewRefused(
                "Your account is not linked to an agency, so Scrutineer cannot tell whose layout this is: ask an "
                "administrator of your organisation to link it"
            )
        return agency, "your agency"
    if agency is not None and campaign is not None:
        return agency, f"the agency of campaign {campaign.ref}"
    return None, ""


def mapping_page(
    membership: Membership,
    batch: Batch,
    index: int,
    campaign: Campaign | None,
    *,
    table: str | None = None,
    sheet: str | None = None,
    posted: Mapping[str, str] | None = None,
) -> MappingPage:
    """What the mapping page shows for file `index` of a batch. `posted` is what the person chose, if they did.

    Raises NotMappable for a file that is not there or needs no mapping, PreviewRefused when it cannot be mapped now.
    """
    preview = _file(batch, index)
    if batch.started:
        raise PreviewRefused("These files are already being imported")
    path = previews.file_path(batch, preview)
    if not path.is_file():
        raise PreviewRefused(f"{preview.name} is no longer here: upload it again")
    agency, agency_reason = _agency(membership, campaign)
    found = _suggestions(path, preview.name)
    every = [item for items in found.values() for item in items]
    if not every:
        raise PreviewRefused(f"Scrutineer found no header row in {preview.name}: check it is a table")
    best = max(every, key=lambda s: _score(s, campaign))
    sure = not _missing(best, campaign) and all(
        _score(s, campaign) < _score(best, campaign) - UNSURE_MARGIN for s in every if s.table != best.table
    )
    existing = _existing(preview)
    sure = sure or table in TABLES or existing is not None  # asked only when the person has not said
    if table not in TABLES:
        table = existing.table if existing is not None else best.table
    if existing is not None and existing.table != table:
        existing = None
    options = found[table]
    sheets = [s.sheet for s in options if s.sheet is not None]
    if sheet not in sheets:
        sheet = existing.sheet if existing is not None and existing.sheet in sheets else None
    suggestion = next((s for s in options if s.sheet == sheet), max(options, key=lambda s: _score(s, campaign)))
    sheet = suggestion.sheet
    header, rows = _read_table(path, preview.name, sheet, suggestion.header_row)
    columns = _columns(suggestion, header, rows, existing, posted)
    translations, more = _translations(table, columns, rows, suggestion, existing, posted)
    agencies = [] if agency is not None else organisations_dao.agencies_of(membership.organisation_id)
    chosen_agency = ""
    if posted is not None:
        chosen_agency = posted.get("agency", "")
    elif preview.mapping_agency:
        chosen_agency = next((str(a.id) for a in agencies if a.name == preview.mapping_agency), "")
    return MappingPage(
        batch=batch,
        file=preview,
        path=path,
        campaign=campaign,
        table=table,
        sure=sure,
        sheet=sheet,
        sheets=sheets,
        header_row=suggestion.header_row,
        columns=columns,
        translations=translations,
        more_codes=more,
        required=[
            name
            for name, spec in TABLES[table].items()
            if spec.required and not (name == "campaign_ref" and campaign is not None)
        ],
        agency=agency,
        agency_reason=agency_reason,
        agencies=agencies,
        chosen_agency=chosen_agency,
        existing=existing,
    )


# --- confirming ----------------------------------------------------------------------------------------------


def _check(page: MappingPage, answers: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str | None]]:
    """The errors in the answers, by form field, and the column choices."""
    fields = TABLES[page.table]
    errors: dict[str, str] = {}
    chosen: dict[str, str | None] = {}
    claimed: dict[str, ColumnRow] = {}
    for column in page.columns:
        choice = str(answers.get(column.name) or NOT_IMPORTED)
        if choice and choice not in fields:
            errors[column.name] = f"Choose one of the fields listed for “{column.header}”"
        elif choice in claimed:
            errors[column.name] = (
                f"“{claimed[choice].header}” is already {field_label(choice)}: choose one column for it, and another "
                f"field for “{column.header}” or “Do not import this column”"
            )
        elif choice:
            claimed[choice] = column
        chosen[column.header] = choice or chosen.get(column.header)
    for name in page.required:
        if name in claimed:
            continue
        column = page.column_for(name, set(errors))
        message = f"Choose the column that holds the {field_label(name).lower()} ({name}): every row needs one"
        if column is not None:
            errors[column.name] = message
    for item in page.translations:
        answer = str(answers.get(item.name) or "")
        if answer != NOT_RECORDED and answer not in CODES[item.field]:
            errors[item.name] = f"Choose what “{item.value}” means as {field_label(item.field).lower()}"
    if page.agencies and not any(str(a.id) == str(answers.get("agency") or "") for a in page.agencies):
        errors["agency"] = "Choose the agency whose layout this is"
    return errors, chosen


def _mapping(page: MappingPage, answers: Mapping[str, Any], chosen: dict[str, str | None]) -> ColumnMapping:
    values: dict[str, dict[str, str]] = {}
    for item in page.translations:
        answer = str(answers.get(item.name))
        values.setdefault(item.field, {})[item.value] = "" if answer == NOT_RECORDED else answer
    if page.existing is not None:  # meanings given before for values that are not in the rows read this time
        for name, pairs in page.existing.values.items():
            if name in chosen.values():
                for source, target in pairs.items():
                    values.setdefault(name, {}).setdefault(source, target)
    table = TableMapping(page.table, chosen, values, {}, page.sheet)
    return ColumnMapping.from_json(ColumnMapping({page.table: table}).as_json())


def confirm(membership: Membership, page: MappingPage, answers: Mapping[str, Any]) -> Outcome:
    """Check the person's choices; if they hold, read the file through the mapping, save the mapping for the agency
    and keep the new preview in the batch."""
    errors, chosen = _check(page, answers)
    if errors:
        return Outcome(errors=errors)
    agency = page.agency or next((a for a in page.agencies if str(a.id) == str(answers.get("agency"))), None)
    try:
        mapping = _mapping(page, answers, chosen)
    except MappingError as error:
        return Outcome(problem=f"The mapping cannot be used: {error}")
    attempt, report = previews.preview_with_mapping(membership, page.batch, page.file, mapping, page.campaign)
    if attempt.error is not None or report is None:
        return Outcome(problem=f"Scrutineer could not read the file with these choices: {attempt.error}")
    with transaction():
        mapping_service.save_mapping(
            membership.organisation, mapping, report.headers, agency=agency, user=membership.user
        )
    attempt.mapping = mapping.as_json()
    attempt.mapping_agency = agency.name if agency is not None else None
    attempt.mapping_note = (
        "Scrutineer read this file with the column mapping you confirmed"
        + (f", saved for {agency.name}" if agency is not None else "")
        + ": later files with the same columns are read the same way"
    )
    page.batch.files = [attempt if f.index == page.file.index else f for f in page.batch.files]
    previews.save_batch(page.batch)
    return Outcome(preview=attempt)
