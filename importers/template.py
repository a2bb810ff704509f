"""The agency campaign template as Scrutineer publishes it: an XLSX workbook and one CSV file per table.

Agencies fill it in and upload it. Its columns are the importer's own (`agency_template.TABLES`,
in that order, under their canonical names), so the template and what Scrutineer reads cannot drift apart:

- a **Guide** sheet first: what each column holds, in what form, whether it is required, and the codes of the
  coded columns;
- **Campaigns**, **Candidates** and **Outreach**: the header row, frozen, with a drop-down on every coded column
  and on every yes-or-no column, a warning for a date Excel cannot read as one, and each column's help shown when
  a cell is chosen. The drop-downs list the codes from a hidden **Codes** sheet, so that no list is cut at
  Excel's 255 characters;
- one CSV per table: the header row alone, in UTF-8 with a byte-order mark so that Excel shows accents rightly.

The importer reads past the Guide and Codes sheets in silence (`agency_template.GUIDE_SHEETS`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from importers.agency_template import GUIDE_SHEETS, TABLES, Choice
from importers.values import parse_bool, parse_date, parse_datetime, parse_int, parse_money, parse_percent

SHEETS = {"campaigns": "Campaigns", "candidates": "Candidates", "outreach": "Outreach"}
GUIDE, CODES = GUIDE_SHEETS
LAST_ROW = 20_000  # rows the drop-downs and date checks cover: more than any one campaign file holds
CSV_NAMES = {table: f"{table}.csv" for table in TABLES}
XLSX_NAME = "scrutineer-agency-template.xlsx"

# What to write in each kind of column.
_KINDS: dict[Callable[..., Any], str] = {
    parse_date: "A date, day first: 05/02/2026 (or 5 Feb 2026, or 2026-02-05)",
    parse_datetime: "A date and time, day first: 05/02/2026 14:30",
    parse_bool: "Yes or No",
    parse_money: "An amount in pounds: 135000 or £135,000",
    parse_percent: "A percentage: 20 or 20%",
    parse_int: "A whole number",
}
# Columns read by a parser of their own.
_FORMS = {
    "retention_months": "A number of months (or years: 2 years), or 'not stated'",
    "engagement_terms": "The items the written terms cover, separated by semicolons: fees; payment timing; scope; "
    "confidentiality; conflicts; off limits; guarantee",
}

# What each column is for, where its name does not say it. Check IDs are those of the shipped checklist.
HELP = {
    "campaign_ref": "Your reference for the campaign. Every row of every sheet names its campaign by it",
    "client_organisation": "The public body the post is with",
    "organisation_type": "The kind of public body",
    "nation": "The UK nation the post is in (decides which rules apply: the Welsh language, for example)",
    "role_title": "The job title as advertised",
    "grade": "The grade or pay band",
    "salary_min": "The lowest salary offered",
    "salary_max": "The highest salary offered",
    "salary_period": "What the salary is paid per",
    "agency": "The search firm running the campaign",
    "framework": "The framework agreement the agency was appointed under, if any",
    "contract_ref": "The contract or call-off reference",
    "fee_type": "How the agency's fee is worked out",
    "fee_percent": "The fee as a percentage of salary, for a percentage fee (ES-08)",
    "fee_fixed": "The fee in pounds, for a fixed fee (ES-08)",
    "guarantee_months": "Months the agency guarantees a placement for (ES-09)",
    "sla_longlist_days": "Days to the long list agreed in the contract (ES-05)",
    "sla_shortlist_days": "Days to the short list agreed in the contract (ES-05)",
    "brief_date": "When the agency was briefed",
    "advert_live_date": "When the advert was published",
    "closing_date": "The closing date for applications",
    "longlist_date": "When the long list was given to the client (ES-05)",
    "shortlist_date": "When the short list was agreed (ES-05)",
    "interview_date": "The final interview date",
    "offer_date": "When the offer was made",
    "start_date": "When the appointee started",
    "commissioner_chair": "Civil Service: did a Civil Service Commissioner chair the panel? (FOC-02)",
    "pay_approval_ref": "The reference of the pay approval, where one is needed (PAY-04, PAY-05)",
    "conflict_declaration_date": "When the agency declared its conflicts of interest (ES-10)",
    "longlist_justification": "Why the long list is as it is (ES-01). Do not write names or contact details here",
    "total_remuneration": "Salary plus bonus, allowances and benefits, in pounds (PAY-05)",
    "bonus_max": "The largest bonus on offer, in pounds (PAY-05)",
    "previous_holder_pay": "What the previous holder of the post was paid, in pounds (PAY-05)",
    "pay_policy_covers": "Does the body's pay policy statement cover this post? (PAY-04)",
    "exception_type": "The exception to fair and open competition relied on, if any (FOC-01)",
    "exception_approval_ref": "The reference of the approval for that exception",
    "competition_type": "Open to all, or internal only (FOC-02)",
    "fppt_checks_completed": "NHS board posts: were the fit and proper person checks completed? (FOC-05)",
    "welsh_language_category": "Posts in Wales: what the Welsh-language requirement is (FOC-07)",
    "lawful_basis": "The lawful basis for sourcing candidates' personal data",
    "lia_reference": "The reference of the legitimate interests assessment",
    "retention_months": "How long candidates' data is kept, as the privacy notice says (DP-04)",
    "privacy_notice_names_source": "Does the privacy notice say candidates' details came from LinkedIn? (LI-07, DP-02)",
    "disability_confident": "The employer's Disability Confident level (DIS-03, DIS-04)",
    "dc_exception": "Why guaranteed interviews did not apply, if they did not (DIS-04)",
    "sla_appointment_days": "Days to the appointment agreed in the contract (ES-05)",
    "engagement_terms": "What the agency's written terms of engagement cover (ES-07)",
    "off_limits_declaration_date": "When the agency declared whom it may not approach (ES-10)",
    "fee_cap": "The most the fee may be, in pounds (ES-08)",
    "fee_base": "What the fee percentage is taken of (ES-08)",
    "candidate_ref": "Your reference for the candidate: an ID, a name, an e-mail address or a LinkedIn profile "
    "link. Scrutineer keeps only a keyed code made from it, never the reference itself",
    "source": "How the candidate was found",
    "stage_reached": "The furthest stage the candidate reached",
    "withdrawn": "Did the candidate withdraw?",
    "rejection_reason": "Why the candidate went no further. Do not write names or contact details here: "
    "e-mail addresses and profile links are removed on import",
    "first_contact_date": "When the agency first contacted the candidate, or the candidate applied (DP-02)",
    "acknowledged_date": "When the candidate's application or reply was acknowledged (ES-06)",
    "identified_date": "When the agency obtained the candidate's details, from a search or a database (DP-02)",
    "feedback_given": "Was the candidate given feedback? (ES-06)",
    "sex": "From the candidate's own equal-opportunities answers only (ES-01, ES-03)",
    "ethnicity_group": "From the candidate's own equal-opportunities answers only (ES-01, ES-03)",
    "disability": "From the candidate's own equal-opportunities answers only (ES-03)",
    "dc_opt_in": "Did the candidate opt in to the Disability Confident guaranteed interview? (DIS-04)",
    "meets_essential_criteria": "Does the candidate meet the essential criteria? (DIS-04)",
    "age_band": "From the candidate's own equal-opportunities answers only: 25-34, for example",
    "sent_at": "When the message was sent",
    "channel": "How the message was sent",
    "message_chars": "How many characters the message had (LI-03)",
    "template_id": "The name of the message template used, if any (LI-04)",
    "privacy_notice_included": "Did the message include or link to a privacy notice? (DP-02)",
    "responded_at": "When the person replied",
    "response": "How the person replied (LI-05)",
}


def _what(name: str) -> str:
    return HELP.get(name) or name.replace("_", " ").capitalize()


def _form(name: str, parser: Callable[..., Any]) -> str:
    if isinstance(parser, Choice):
        return "One of the codes: " + ", ".join(parser.codes)
    return _FORMS.get(name) or _KINDS.get(parser, "Text")


def column_guide() -> list[dict[str, str]]:
    """Each column of each table, with what it holds: the Guide sheet, and the template page's table."""
    return [
        {
            "sheet": SHEETS[table],
            "column": name,
            "required": "Required" if spec.required else "Optional",
            "what": _what(name),
            "form": _form(name, spec.parser),
        }
        for table, fields in TABLES.items()
        for name, spec in fields.items()
    ]


def write_template(target: Path | io.BytesIO) -> None:
    """The template workbook, to a file or into memory."""
    book = Workbook()
    guide = book.active
    guide.title = GUIDE
    _write_guide(guide)
    codes = book.create_sheet(CODES)
    code_ranges = _write_codes(codes)
    for table, fields in TABLES.items():
        sheet = book.create_sheet(SHEETS[table])
        sheet.append(list(fields))
        sheet.freeze_panes = "A2"
        for position, (name, spec) in enumerate(fields.items(), start=1):
            letter = get_column_letter(position)
            cell = sheet.cell(row=1, column=position)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDDDDD")
            sheet.column_dimensions[letter].width = max(14, len(name) + 4)
            cells = f"{letter}2:{letter}{LAST_ROW}"
            validation = _validation(name, spec.parser, code_ranges)
            validation.add(cells)
            sheet.add_data_validation(validation)
    codes.sheet_state = "hidden"
    book.active = 0
    book.save(target)


def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def template_csv(table: str) -> bytes:
    """One table's header row as CSV, UTF-8 with a byte-order mark (Excel then reads accents rightly)."""
    return ("\ufeff" + ",".join(TABLES[table]) + "\r\n").encode("utf-8")


def _quote(sheet: str) -> str:
    return f"'{sheet}'" if not sheet.isalnum() else sheet


def _write_guide(sheet: Any) -> None:
    sheet.append(["Scrutineer agency campaign template"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            "Fill in one row for each campaign (Campaigns), each candidate in a campaign (Candidates) and each "
            "message sent to a possible candidate (Outreach). Keep the header rows as they are; leave a cell empty "
            "when you do not know. Campaign references tie the sheets together. Upload the workbook, or each "
            "sheet saved as CSV, on Scrutineer's Upload files page."
        ]
    )
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A2:E2")
    sheet.row_dimensions[2].height = 60
    sheet.append([])
    header = ["Sheet", "Column", "Required", "What it holds", "What to write"]
    sheet.append(header)
    for position in range(1, len(header) + 1):
        sheet.cell(row=4, column=position).font = Font(bold=True)
    for row in column_guide():
        sheet.append([row["sheet"], row["column"], row["required"], row["what"], row["form"]])
    for letter, width in zip("ABCDE", (12, 28, 10, 70, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row[3:5]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"


def _write_codes(sheet: Any) -> dict[str, str]:
    """Column A: Yes and No; then one column per coded field. Returns each field's range for its drop-down."""
    lists: dict[str, tuple[str, ...]] = {"yes_no": ("Yes", "No")}
    for fields in TABLES.values():
        for name, spec in fields.items():
            if isinstance(spec.parser, Choice):
                lists.setdefault(name, spec.parser.codes)
    ranges = {}
    for position, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=position, value=value)
        ranges[name] = f"{_quote(CODES)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _validation(name: str, parser: Callable[..., Any], code_ranges: dict[str, str]) -> DataValidation:
    """The column's help shown when a cell is chosen, with a drop-down for codes and yes-or-no, and a date check."""
    shown: dict[str, Any] = {
        "allow_blank": True,
        "showInputMessage": True,
        "promptTitle": name[:32],  # Excel's limits: 32 characters of title, 255 of prompt
        "prompt": _what(name)[:250],
    }
    if isinstance(parser, Choice) or parser is parse_bool:
        codes = isinstance(parser, Choice)
        return DataValidation(
            type="list",
            formula1=code_ranges[name if codes else "yes_no"],
            showErrorMessage=True,
            errorTitle="Not one of the codes" if codes else "Yes or No",
            error=f"Choose one of the codes for {name} from the list" if codes else f"Choose Yes or No for {name}",
            **shown,
        )
    if parser in (parse_date, parse_datetime):
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2100,12,31)",
            showErrorMessage=True,
            errorStyle="warning",  # a date typed as text still reads: warn, do not refuse
            errorTitle="Not a date",
            error=f"{name} should be a date, day first: 05/02/2026",
            **shown,
        )
    return DataValidation(**shown)
