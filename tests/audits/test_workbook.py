"""The audit workbook, opened with openpyxl: sheets, styles, tables, validations, the chart and its alt text, the
evidence tables, the provenance hash, and no formula anywhere made from imported text."""

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from audits import workbook, xlsx
from audits.workbook import FindingRow, WorkbookData, findings_digest, safe_text
from importers.records import CandidateRecord, InMailStatsRecord, OutreachRecord, RecruiterUsageRecord

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\nx"),
        ("plain", "plain"),
        ("a\x00b\x07c", "a\ufffdb\ufffdc"),
    ],
)
def test_safe_text(value: str, expected: str) -> None:
    assert safe_text(value) == expected
    assert safe_text(safe_text(value)) == safe_text(value)  # idempotent, so read-back text hashes the same


def rows() -> list[FindingRow]:
    return [
        FindingRow("AUD-T-0001", "EQ-01", "Gendered title", "Critical", "Fail", "=cmd()", "“Chairman”", "EqA", "Chair"),
        FindingRow("AUD-T-0002", "PAY-01", "Salary", "High", "Pass", "Advert", "£90,000", "PTD Art 5", ""),
        FindingRow("AUD-T-0003", "LANG-01", "Coded words", "Low", "Warn", "Advert", "#N/A", "Gaucher", "+ rewrite"),
        FindingRow("AUD-T-0004", "NEW-99", "A check added later", "Medium", "Fail", "@campaign", HOSTILE, "-", ""),
        FindingRow("AUD-T-0005", "DIS-01", "Health questions", "Critical", "No data", "Form", "\tnone", "s.60", ""),
        FindingRow("AUD-T-0006", "SD-03", "Closing date", "High", "Fail", "Advert", "Missing\r\nline", "GDS", "Add"),
        FindingRow("AUD-T-0007", "ES-01", "Long list", "High", "Warn", "Campaign", "28% women", "SVCC", "Justify"),
        FindingRow("AUD-T-0008", "EQ-07", "EO statement", "Info", "N/A", "Advert", "a_x0041_b_x005F_", "EHRC", ""),
    ]


def candidates() -> list[CandidateRecord]:
    """20 women and 20 men approached; 10 women and 16 men long-listed; 3 women and 8 men short-listed."""
    people = []
    for index in range(40):
        woman = index < 20
        rank = index if woman else index - 20
        if woman:
            stage = "shortlisted" if rank < 3 else "longlisted" if rank < 10 else "approached"
        else:
            stage = "shortlisted" if rank < 8 else "longlisted" if rank < 16 else "approached"
        people.append(
            CandidateRecord(
                "C-1",
                f"key{index}",
                stage_reached=stage,
                sex="female" if woman else "male",
                ethnicity_group="white" if index % 2 else "asian",
                disability="yes" if index % 5 == 0 else "no",
            )
        )
    people.append(CandidateRecord("C-1", "unknown", stage_reached="approached", sex=None))
    return people


def data(findings: list[FindingRow] | Iterator[FindingRow], digest: str | None = None) -> WorkbookData:
    listed = list(findings)
    return WorkbookData(
        audit_id="AUD-T",
        created_at=dt.datetime(2026, 3, 31, 12),
        as_of=dt.date(2026, 3, 31),
        organisation="=cmd|' /C calc'!A0",
        agency='+Harbour "Search" & Co',
        campaign_ref="-C-1",
        role_title="@Chief Executive",
        campaign_dates={"Closing date": dt.date(2026, 2, 5), "Long list": None},
        score=72.5,
        rag="Amber",
        score_reason="below 85",
        scoring_rule="rule",
        findings=iter(listed),
        checklist_id="uk",
        checklist_version="1",
        checklist_sha256="0" * 64,
        rules=[
            workbook.RuleRow("EQ-01", "Gendered title", "equality", "Critical", True, None, "x = 1", "adverts", HOSTILE)
        ],
        inputs=[
            workbook.InputRow(
                "=tracker.xlsx",
                "a" * 64,
                "agency-template",
                12,
                11,
                1,
                problems=[{"row": 13, "column": "Stage", "value": "=teleported", "message": "not a stage"}],
                unknown_columns={"Candidates": ["@Notes"]},
            )
        ],
        adverts=[
            workbook.AdvertRow(
                HOSTILE, "advert.html", "https://example.org", dt.date(2026, 1, 10), dt.date(2026, 2, 5), "£90k", 420
            )
        ],
        pipeline=workbook.pipeline_tables(candidates()),
        outreach=workbook.outreach_tables(
            [
                RecruiterUsageRecord(
                    seat_key="a1b2c3d4e5",
                    period_start=dt.date(2026, 1, 1),
                    period_end=dt.date(2026, 1, 31),
                    inmails_sent=40,
                    inmails_accepted=10,
                    inmails_declined=6,
                ),
                RecruiterUsageRecord(
                    seat_id="=SEAT-2", period_start=dt.date(2026, 1, 1), inmails_sent=10, inmails_accepted=1
                ),
            ],
            [InMailStatsRecord(period_start=dt.date(2026, 1, 1), sent=50, accepted=11, declined=6, response_rate=34.0)],
            [
                OutreachRecord("C-1", sent_at=dt.datetime(2026, 1, 5), channel="inmail", response="accepted"),
                OutreachRecord("C-1", sent_at=dt.datetime(2026, 2, 5), channel="email", privacy_notice_included=True),
            ],
        ),
        scrutineer_version="0.1.0",
        library_versions={"textstat": "0.7.8"},
        findings_sha256=digest if digest is not None else findings_digest(f.cells() for f in listed),
        seal="seal",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workbook") / "audit.xlsx"
    workbook.write(data(rows()), path)
    return path


def sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_sheets_properties_and_named_styles(written: Path) -> None:
    book = load_workbook(written)
    assert book.sheetnames == list(workbook.SHEETS)
    assert book.properties.title == "Scrutineer audit AUD-T: -C-1"
    assert "campaign -C-1 (@Chief Executive)" in book.properties.subject
    assert book.properties.creator == "Scrutineer"
    assert {p.name: p.value for p in book.custom_doc_props.props}["Organisation"] == "=cmd|' /C calc'!A0"
    app = sheet_xml(written)["docProps/app.xml"]
    assert b"<Company>=cmd|' /C calc'!A0</Company>" in app
    names = set(book.named_styles)
    assert {xlsx.HEADER, xlsx.TEXT, xlsx.PERCENT, xlsx.DATE, xlsx.INPUT} <= names
    assert "Scrutineer rating amber" in names and "Scrutineer status fail" in names


def test_every_sheet_has_tables_with_declared_headers_and_no_merged_cells(written: Path) -> None:
    book = load_workbook(written)
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        assert sheet.tables, f"{sheet.title} has no Excel table"
        for table in sheet.tables.values():
            first = table.ref.split(":")[0]
            top = int(re.sub(r"[A-Z]", "", first))
            left = sheet[first].column
            header = [sheet.cell(row=top, column=left + i).value for i in range(len(table.tableColumns))]
            assert header == [c.name for c in table.tableColumns], (sheet.title, table.name)
            assert table.headerRowCount == 1 and table.autoFilter is not None
            assert all(sheet.cell(row=top, column=left + i).style == xlsx.HEADER for i in range(len(header)))
    assert book["Findings"].freeze_panes == "B2"
    assert book["Data quality"].freeze_panes == "B2"
    assert book["Pipeline"].freeze_panes is not None
    assert book["Findings"].column_dimensions["G"].width == 70  # evidence has room to read
    assert book["Findings"]["G2"].alignment.wrap_text


def test_findings_sheet_values_validations_and_conditional_formats(written: Path) -> None:
    sheet = load_workbook(written)["Findings"]
    assert [c.value for c in sheet[1]] == list(workbook.FINDING_COLUMNS)
    assert sheet["A2"].value == "AUD-T-0001" and sheet["A2"].style == xlsx.CODE
    assert sheet["F2"].value == "'=cmd()" and sheet["F2"].data_type == "s"
    assert sheet["G4"].value == "#N/A" and sheet["G4"].data_type == "s"  # text, not Excel's error value
    assert sheet["G5"].value == "'" + HOSTILE
    assert sheet["J2"].style == xlsx.INPUT and sheet["J2"].value is None
    response, note = sheet.data_validations.dataValidation
    assert response.type == "list" and response.showErrorMessage and response.errorStyle == "stop"
    assert response.formula1 == '"Agree,Disagree,Remediated"'
    assert str(response.sqref) == "J2:J9" and "Agree, Disagree or Remediated" in response.error
    assert note.type == "textLength" and note.formula1 == "4000" and str(note.sqref) == "K2:K9"
    rules = {rule.formula[0]: rule for rule in sheet.conditional_formatting["E2:E9"]}
    assert set(rules) == {'"Fail"', '"Warn"', '"No data"', '"Pass"', '"N/A"'}
    assert rules['"Fail"'].dxf.fill.fgColor.rgb.endswith("F6D7D2")


def test_summary_rating_counts_most_serious_and_chart(written: Path) -> None:
    book = load_workbook(written)
    sheet = book["Summary"]
    pairs = {row[0].value: row[1] for row in sheet.iter_rows(min_row=4, max_row=22, max_col=2) if row[0].value}
    assert pairs["Organisation"].value == "'=cmd|' /C calc'!A0"
    assert pairs["Agency"].value == '\'+Harbour "Search" & Co'
    assert pairs["Rating"].value == "Amber" and pairs["Rating"].style == "Scrutineer rating amber"  # word and colour
    assert pairs["Score (0 to 100)"].value == 72.5
    assert (
        pairs["Closing date"].value == dt.datetime(2026, 2, 5) and pairs["Closing date"].number_format == "d mmm yyyy"
    )
    assert pairs["Audited (UTC)"].value == dt.datetime(2026, 3, 31, 12)
    counts = sheet.tables["SummaryCounts"]
    top = int(counts.ref.split(":")[0][1:])
    grid = [[c.value for c in row] for row in sheet.iter_rows(min_row=top, max_row=top + 6, min_col=3, max_col=9)]
    assert grid[0] == ["Severity", "Fail", "Warn", "No data", "Pass", "N/A", "Total"]
    assert grid[1] == ["Critical", 1, 0, 1, 0, 0, 2]
    assert grid[2] == ["High", 1, 1, 0, 1, 0, 3]
    assert grid[6] == ["All severities", 3, 2, 1, 1, 1, 8]
    serious = sheet.tables["MostSerious"]
    first = int(serious.ref.split(":")[0][1:]) + 1
    ids = [sheet.cell(row=first + i, column=1).value for i in range(5)]
    assert ids == ["AUD-T-0001", "AUD-T-0006", "AUD-T-0004", "AUD-T-0007", "AUD-T-0003"]
    assert sheet.cell(row=first, column=4).value == "Fail"
    assert sheet.cell(row=first, column=4).style == "Scrutineer status fail"
    [chart] = sheet._charts
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == "Findings by severity and status"
    assert chart.grouping == "stacked" and len(chart.series) == 5
    drawing = sheet_xml(written)["xl/drawings/drawing1.xml"].decode()
    frame = re.search(r"<cNvPr [^>]*>", drawing).group(0)
    assert 'title="Findings by severity and status"' in frame
    assert 'descr="Stacked column chart of the 8 findings by severity' in frame
    assert "Critical: 1 fail, 1 no data" in frame


def test_no_formula_anywhere_and_imported_text_is_quoted(written: Path) -> None:
    parts = sheet_xml(written)
    sheets = {name: xml for name, xml in parts.items() if name.startswith("xl/worksheets/sheet")}
    assert len(sheets) == len(workbook.SHEETS)
    for name, xml in sheets.items():
        assert b"<f>" not in xml and b"<f " not in xml, f"{name} holds a formula"
    book = load_workbook(written)
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    for dangerous in ("=cmd", "=HYPERLINK", "=teleported", "=tracker.xlsx", "@Notes", "=SEAT-2", "+Harbour"):
        found = [t for t in texts if dangerous in t]
        assert found, dangerous
        assert all(not t.startswith(("=", "+", "-", "@")) for t in found), found
    assert all(cell.data_type != "f" for s in book.worksheets for row in s.iter_rows() for cell in row)


def test_pipeline_selection_rates_and_adverse_impact(written: Path) -> None:
    sheet = load_workbook(written)["Pipeline"]
    counts = sheet.tables["PipelineCounts"]
    top = int(counts.ref.split(":")[0][1:])
    header = [c.value for c in sheet[top]][:12]
    assert header[:4] == ["Stage", "All candidates", "Women", "Men"]
    by_stage = {row[0]: row for row in sheet.iter_rows(min_row=top + 1, max_row=top + 8, values_only=True)}
    assert by_stage["Approached"][1:4] == (41, 20, 20)
    assert by_stage["Longlisted"][1:4] == (26, 10, 16)
    assert by_stage["Shortlisted"][1:4] == (11, 3, 8)
    rates = sheet.tables["PipelineRates"]
    first_col = sheet[rates.ref.split(":")[0]].column
    rows = [
        row[first_col - 1 : first_col + 9]
        for row in sheet.iter_rows(min_row=top + 1, values_only=True)
        if row[first_col - 1] == "Sex"
    ]
    women = next(r for r in rows if r[1] == "Women" and r[2] == "Longlisted")
    men = next(r for r in rows if r[1] == "Men" and r[2] == "Longlisted")
    assert women[4:6] == (10, 3) and women[6] == pytest.approx(0.3)
    assert men[6] == pytest.approx(0.5) and men[8] == pytest.approx(1.0) and men[9] == "Met"
    assert women[7] == pytest.approx(0.5) and women[8] == pytest.approx(0.6) and women[9] == "Below four-fifths"
    unknown = next(r for r in rows if r[1] == "Not recorded" and r[2] == "Identified")
    assert unknown[8] is None and unknown[9] == "Not compared"
    rate_cell = next(
        c for row in sheet.iter_rows(min_row=top + 1) for c in row if c.column == first_col + 6 and c.value
    )
    assert rate_cell.number_format == "0%"


def test_outreach_seats_periods_and_channels(written: Path) -> None:
    sheet = load_workbook(written)["Outreach"]
    assert set(sheet.tables) == {"OutreachSeats", "OutreachInMail", "OutreachChannels", "OutreachMonths"}
    seats = sheet.tables["OutreachSeats"]
    top = int(seats.ref.split(":")[0][1:])
    rows = {r[0]: r for r in sheet.iter_rows(min_row=top + 1, max_row=top + 3, values_only=True)}
    assert rows["Seat a1b2c3d4"][4:9] == (40, 10, 6, pytest.approx(0.4), pytest.approx(0.25))
    assert rows["'=SEAT-2"][7] == pytest.approx(0.1)
    assert rows["All seats"][4] == 50 and rows["All seats"][7] == pytest.approx(17 / 50)
    assert sheet.cell(row=top + 1, column=8).number_format == "0%"
    assert sheet.cell(row=top + 1, column=3).number_format == "d mmm yyyy"


def test_provenance_and_read_back(written: Path) -> None:
    book = load_workbook(written)
    provenance = {r[0]: r[1] for r in book["Provenance"].iter_rows(max_col=2, values_only=True) if r[0]}
    expected = findings_digest(f.cells() for f in rows())
    assert provenance["Findings SHA-256"] == expected and provenance["Findings"] == 8
    assert provenance["Checklist SHA-256"] == "0" * 64 and provenance["Scrutineer version"] == "0.1.0"
    inputs = book["Provenance"].tables["Inputs"]
    top = int(inputs.ref.split(":")[0][1:])
    assert [c.value for c in book["Provenance"][top + 1]][:6] == [
        "'=tracker.xlsx",
        "a" * 64,
        "agency-template",
        12,
        11,
        1,
    ]
    back = workbook.read(written)
    assert back.provenance["Audit ID"] == "AUD-T"
    assert back.recomputed_sha256 == expected
    assert [f.ref for f in back.findings] == [f.ref for f in rows()]
    assert [f.row for f in back.findings] == list(range(2, 10))
    assert back.findings[5].evidence == "Missing\nline"
    assert back.findings[7].evidence == "a_x0041_b_x005F_"  # read as written, not as Excel escapes
    assert workbook.is_audit_workbook(written)


def test_responses_keep_the_digest_edits_and_removals_change_it_sorting_does_not(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    workbook.write(data(rows()), path)
    book = load_workbook(path)
    sheet = book["Findings"]
    sheet["J2"] = "Disagree"
    sheet["K2"] = "We used chair in the final advert"
    book.save(path)
    back = workbook.read(path)
    assert back.recomputed_sha256 == back.provenance["Findings SHA-256"]
    assert (back.findings[0].response, back.findings[0].note) == ("Disagree", "We used chair in the final advert")

    # An agency sorts the sheet (here: reverses the rows): the digest still holds.
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=9)]
    for offset, row_values in enumerate(reversed(values)):
        for column, value in enumerate(row_values, start=1):
            cell = sheet.cell(row=2 + offset, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # as Excel keeps text when it sorts (openpyxl would make "#N/A" an error)
    book.save(path)
    back = workbook.read(path)
    assert back.findings[0].ref == "AUD-T-0008"
    assert back.recomputed_sha256 == back.provenance["Findings SHA-256"]

    sheet["E3"] = "Pass"
    book.save(path)
    assert workbook.read(path).recomputed_sha256 != back.provenance["Findings SHA-256"]


def test_a_large_audit_streams_and_still_verifies(tmp_path: Path) -> None:
    def generate() -> Iterator[FindingRow]:
        for index in range(1, 3001):
            status = ("Fail", "Warn", "Pass")[index % 3]
            yield FindingRow(f"AUD-L-{index:04d}", "EQ-01", "t", "High", status, "s", f"=evidence {index}", "r", "")

    digest = findings_digest(f.cells() for f in generate())
    path = tmp_path / "large.xlsx"
    workbook.write(data(generate(), digest), path)
    back = workbook.read(path)
    assert len(back.findings) == 3000 and back.recomputed_sha256 == digest
    assert back.findings[-1].ref == "AUD-L-3000"  # four digits run out: the order is numeric, not textual


def test_findings_that_do_not_match_the_audit_hash_are_not_written(tmp_path: Path) -> None:
    with pytest.raises(workbook.FindingsMismatch):
        workbook.write(data(rows(), digest="f" * 64), tmp_path / "audit.xlsx")


def test_an_audit_without_findings_or_evidence_still_makes_a_valid_workbook(tmp_path: Path) -> None:
    empty = data([])
    empty.pipeline, empty.outreach, empty.inputs, empty.adverts = [], [], [], []
    path = tmp_path / "empty.xlsx"
    workbook.write(empty, path)
    book = load_workbook(path)
    assert book.sheetnames == list(workbook.SHEETS)
    assert book["Findings"].tables["Findings"].ref == "A1:K2"
    assert "No candidate data" in str(book["Pipeline"]["A2"].value)
    back = workbook.read(path)
    assert back.findings == [] and back.recomputed_sha256 == back.provenance["Findings SHA-256"]


def test_unreadable_and_foreign_files(tmp_path: Path) -> None:
    garbage = tmp_path / "other.xlsx"
    garbage.write_bytes(b"not a workbook")
    with pytest.raises(workbook.WorkbookUnreadable, match=r"other\.xlsx: not an Excel workbook"):
        workbook.read(garbage)
    assert not workbook.is_audit_workbook(garbage)
    plain = tmp_path / "tracker.xlsx"
    book = Workbook()
    book.active.title = "Campaigns"
    book.save(plain)
    with pytest.raises(workbook.WorkbookUnreadable, match="not a Scrutineer audit workbook"):
        workbook.read(plain)
    assert not workbook.is_audit_workbook(plain)
    changed = tmp_path / "changed.xlsx"
    workbook.write(data(rows()), changed)
    book = load_workbook(changed)
    book["Findings"]["C1"] = "Title"
    book.save(changed)
    with pytest.raises(workbook.WorkbookUnreadable, match="columns have been changed"):
        workbook.read(changed)
    assert not workbook.is_audit_workbook(changed)


def test_streamed_rows_read_back_exactly_as_written(tmp_path: Path) -> None:
    """The Findings rows are written as sheet XML by xlsx.RowStream, not by openpyxl: text that XML, Excel's own
    escapes or the quote prefix could change must read back as it was, in openpyxl and in calamine."""
    from python_calamine import CalamineWorkbook

    tricky = [
        "a & b < c > d",
        '"quoted" and </t></is></c> and ]]>',
        "  leading and trailing spaces  ",
        "two\nlines",
        "Zoë’s £90,000 — “native” 中文",
        "_x0041_ stays literal",
        safe_text("=SUM(A1:A2)"),
        "   ",
    ]
    writer = xlsx.WorkbookWriter(["Rows"])
    sheet = writer.sheets["Rows"]
    xlsx.append(sheet, [xlsx.text_cell(sheet, "Header", xlsx.HEADER), xlsx.text_cell(sheet, "Empty", xlsx.HEADER)], 1)
    stream = writer.stream("Rows", [xlsx.CODE, xlsx.INPUT], first_row=2)
    for number, text in enumerate(tricky):
        stream.append([text, None], 45.0 if number % 2 else None)
    path = tmp_path / "rows.xlsx"
    writer.save(path)
    assert not Path(stream.path).exists()  # the rows' temporary file is gone

    book = load_workbook(path)
    rows = book["Rows"]
    # openpyxl shows Excel's escape of a literal "_x0041_" as it is stored; calamine, which Scrutineer reads with,
    # and Excel undo it
    assert [rows.cell(row=2 + i, column=1).value for i in range(len(tricky))] == list(map(xlsx.xml_escaped, tricky))
    assert rows["A2"].style == xlsx.CODE and rows["B2"].style == xlsx.INPUT and rows["B2"].value is None
    assert rows.row_dimensions[3].height == 45 and rows.row_dimensions[2].height is None
    assert rows.max_row == len(tricky) + 1
    read = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Rows").to_python()
    assert [row[0] for row in read[1:]] == tricky


def test_a_discarded_workbook_leaves_no_streamed_rows_behind(tmp_path: Path) -> None:
    writer = xlsx.WorkbookWriter(["Rows"])
    stream = writer.stream("Rows", [xlsx.TEXT], first_row=1)
    stream.append(["kept until discarded"])
    assert Path(stream.path).exists()
    writer.discard()
    assert not Path(stream.path).exists()


def test_the_quick_look_at_a_workbooks_sheets_reads_nothing_else(tmp_path: Path) -> None:
    """`has_sheets` runs in the web process, before a workbook is read in a child under limits. Opening a workbook
    with a spreadsheet reader loads its whole shared strings table first: for this 1.3 MB upload, 380 MB in this
    process. The quick look reads the list of sheets alone, so its process stays near its size at start."""
    import subprocess
    import sys

    from tests.importers.hostile_files import shared_strings_audit_workbook

    hostile = shared_strings_audit_workbook(tmp_path / "contract.xlsx")
    assert hostile.stat().st_size < 2 * 1024 * 1024
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from audits.workbook import has_sheets\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "found = has_sheets(Path(sys.argv[1]), 'Provenance', 'Findings')\n"
        "print(found, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, str(hostile)], capture_output=True, text=True, check=True, timeout=120
    )
    found, grown_mb = finished.stdout.split()
    assert found == "True"
    assert int(grown_mb) < 50, f"the quick look grew its process by {grown_mb} MB"
