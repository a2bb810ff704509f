"""Reading CSV and workbooks the way files really arrive: encodings, line endings, cut-short files, limits."""

import datetime
import errno
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

import importers.tabular as tabular
from importers import FileRejected
from importers.report import ImportReport
from importers.tabular import check_zip_safety, csv_rows, sheets_for, sniff, text_lines
from tests.importers.helpers import read
from tests.importers.hostile_files import lying_zip_bomb, small_workbook, zip_bomb

HEADER = "campaign_ref,candidate_ref,stage_reached,rejection_reason\r\n"


def rows_of(path: Path, report: ImportReport | None = None) -> list[list[object]]:
    sniffed = sniff(path, path.name)
    [sheet] = sheets_for(path, path.name, sniffed, report)
    return [row for _number, row in sheet.rows]


def test_utf8_then_a_windows_1252_byte_far_into_the_file(tmp_path: Path) -> None:
    # The first 300 KB are valid UTF-8 (including an accent), then Excel's cp1252 curly apostrophe (0x92).
    body = "C-1,Zoë Brontë,longlisted,fine\r\n" * 10_000
    path = tmp_path / "candidates.csv"
    path.write_bytes((HEADER + body).encode("utf-8") + b"C-1,Dara O\x92Neill,shortlisted,ok\r\n")
    report = ImportReport(file=path.name)
    rows = rows_of(path, report)
    assert rows[1][1] == "Zoë Brontë" and rows[-1][1] == "Dara O’Neill" and len(rows) == 10_002
    assert any("Windows-1252" in note for note in report.notes)


def test_line_endings_cr_only_crlf_across_chunks_and_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'a,b\rC-1,x\rC-2,"two\r\nlines"\r')  # old Mac Excel, and a line break inside quotes
    assert rows_of(path) == [["a", "b"], ["C-1", "x"], ["C-2", "two\r\nlines"]]
    # A CRLF split across the 256 KB read boundary is still one line ending.
    text = "a,b\r\n" + "C-0,x\r\n" * 30_000
    pad = 256 * 1024 - len(text) - len("C-1,\r")
    text += "C-1," + "y" * pad + "\r\nC-2,z\r\n"
    assert text[256 * 1024 - 1] == "\r" and text[256 * 1024] == "\n"
    path.write_bytes(text.encode())
    rows = rows_of(path)
    assert len(rows) == 30_003 and rows[-2][0] == "C-1" and rows[-1] == ["C-2", "z"]
    lines = list(text_lines(path, path.name))
    assert len(lines) == 30_003 and all(line.endswith("\r\n") for line in lines)


def test_a_cut_short_last_row_is_reported_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text(HEADER + "C-1,ann,longlisted,ok\r\nC-1,bob,short", encoding="utf-8")
    report = ImportReport(file=path.name)
    assert rows_of(path, report) == [HEADER.strip().split(","), ["C-1", "ann", "longlisted", "ok"]]
    [problem] = report.problems
    assert problem.row == 3 and "cut short" in problem.message and report.rows_rejected == 1
    # a complete last row without a final line break is not cut short
    path.write_text(HEADER + "C-1,ann,longlisted,ok", encoding="utf-8")
    report = ImportReport(file=path.name)
    assert len(rows_of(path, report)) == 2 and report.problems == []
    # an open quote at the end is
    path.write_text(HEADER + 'C-1,ann,longlisted,"half a reas', encoding="utf-8")
    report = ImportReport(file=path.name)
    assert len(rows_of(path, report)) == 1 and "cut short" in report.problems[0].message


def test_the_template_reports_a_cut_short_last_row(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text(HEADER + "C-1,ann,longlisted,ok\r\nC-1,bob,long", encoding="utf-8")
    report, records = read(path)
    assert len(records) == 1 and report.rows_read == 2 and report.rows_rejected == 1


def test_too_many_columns_and_an_over_long_line(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(600)) + "\n", encoding="utf-8")
    with pytest.raises(FileRejected, match="600 columns"):
        rows_of(path)
    path.write_bytes(HEADER.encode() + b"x" * (2 * 1024 * 1024))
    with pytest.raises(FileRejected, match="line is longer"):
        rows_of(path)


def test_zip_bombs_are_caught_by_their_headers_or_by_inflating_them(tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match=r"inflates \d+-fold"):
        check_zip_safety(zip_bomb(tmp_path / "bomb.xlsx", 64), "bomb.xlsx")
    with pytest.raises(FileRejected, match="more than its header declares"):
        check_zip_safety(lying_zip_bomb(tmp_path / "lying.xlsx", 16), "lying.xlsx")
    check_zip_safety(small_workbook(tmp_path / "fine.xlsx"), "fine.xlsx")


def test_content_decides_the_kind_not_the_name(tmp_path: Path) -> None:
    for data, reason in [
        (b"%PDF-1.7\n", "PDF"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"\x00\x00\x00\x18ftypheic", "HEIC"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        (b"SQLite format 3\x00", "database"),
    ]:
        path = tmp_path / "tracker.csv"
        path.write_bytes(data + b"\x01" * 64)
        with pytest.raises(FileRejected, match=reason):
            sniff(path, path.name)
    path = tmp_path / "word.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(FileRejected, match="Word document"):
        sniff(path, path.name)


def test_csv_rows_finds_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("a;b;c\n1;2,5;3\n", encoding="utf-8")
    assert [row for _n, row in csv_rows(path, path.name).rows] == [["a", "b", "c"], ["1", "2,5", "3"]]


def test_workbook_rows_come_back_from_the_reading_process_as_calamine_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook is parsed only in the child process; its rows reach this one through a temporary file, with
    every cell type, every sheet in order and the sheet's own row numbers intact, and the file goes afterwards."""
    path = tmp_path / "mixed.xlsx"
    book = Workbook()
    book.active.title = "Overview"
    book.active["B3"] = "Report period"
    book.active["C4"] = datetime.datetime(2026, 3, 31, 9, 30)
    jobs = book.create_sheet("Jobs Reporting")
    jobs.append(["Job", "Views", "Rate", "Open", "Posted"])
    for n in range(12_001):  # more rows than one batch, so batches are joined in order
        jobs.append([f"J-{n}", n, n / 7, n % 2 == 0, datetime.date(2026, 1, 1 + n % 28)])
    book.create_sheet("Empty")
    book.save(path)

    children = []
    run = tabular.subprocess.run
    monkeypatch.setattr(tabular.subprocess, "run", lambda *a, **k: children.append(a) or run(*a, **k))
    # a temporary folder of this test's own: other tests, in other workers, read workbooks at the same time
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = set(Path(tempfile.gettempdir()).glob("scrutineer-sheets-*"))
    sniffed = sniff(path, path.name)
    sheets = sheets_for(path, path.name, sniffed)
    assert sheets_for(path, path.name, sniffed)[0].name == "Overview"  # asked twice, read once
    assert len(children) == 1

    direct = CalamineWorkbook.from_path(str(path))
    assert [sheet.name for sheet in sheets] == direct.sheet_names
    overview = list(sheets[0].rows)
    assert overview[0][0] == 3  # the sheet starts at row 3: numbers are the sheet's own
    assert [row for _n, row in overview] == list(direct.get_sheet_by_name("Overview").iter_rows())
    jobs_rows = list(sheets[1].rows)
    assert [n for n, _row in jobs_rows] == list(range(1, 12_003))
    assert [row for _n, row in jobs_rows] == list(direct.get_sheet_by_name("Jobs Reporting").iter_rows())
    assert list(sheets[2].rows) == []
    assert before == set() and not set(tmp_path.glob("scrutineer-sheets-*"))


def test_an_over_long_workbook_cell_is_refused_with_its_sheet_and_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "MAX_CELL_CHARS", 50)
    path = tmp_path / "long.xlsx"
    book = Workbook()
    book.active.title = "Candidates"
    book.active.append(["campaign_ref", "notes"])
    book.active.append(["C-1", "short"])
    book.active.append(["C-1", "x" * 51])
    book.save(path)
    [sheet] = sheets_for(path, path.name, sniff(path, path.name))
    with pytest.raises(FileRejected, match=r"sheet 'Candidates' row 3 holds more than 50 characters"):
        list(sheet.rows)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_no_room_for_a_workbooks_rows_is_not_blamed_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temporary folder that is full fails the import as the server's fault (not exit 2, "damaged file")."""
    path = small_workbook(tmp_path / "fine.xlsx")
    rows_file = tmp_path / "rows.bin"
    rows_file.symlink_to("/dev/full")  # every write to it fails with ENOSPC, as a full disk does
    monkeypatch.setattr(tabular.tempfile, "mkstemp", lambda **_: (os.open(os.devnull, os.O_RDONLY), str(rows_file)))
    with pytest.raises(OSError, match=r"could not be written to the temporary folder.*TMPDIR") as raised:
        sheets_for(path, path.name, sniff(path, path.name))
    assert raised.type is not FileRejected and raised.value.errno == errno.ENOSPC
    assert not rows_file.is_symlink()


def _rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.pop(info.filename, None) or old.read(info.filename))
        for name, data in replace.items():
            new.writestr(name, data)
    return target


def test_sheet_names_come_from_the_workbook_part_alone(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Provenance"
    book.create_sheet("Findings")
    book.create_sheet("Évidence & notes")
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    assert tabular.xlsx_sheet_names(plain) == ["Provenance", "Findings", "Évidence & notes"]

    with zipfile.ZipFile(plain) as archive:
        part, rels = archive.read("xl/workbook.xml"), archive.read("_rels/.rels")
    # Strict Open XML (another namespace), and a workbook part the package's relationships put elsewhere.
    strict = part.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    moved = _rezip(
        plain,
        tmp_path / "moved.xlsx",
        {"_rels/.rels": rels.replace(b"xl/workbook.xml", b"/xl/book.xml"), "xl/book.xml": strict},
    )
    assert tabular.xlsx_sheet_names(moved) == ["Provenance", "Findings", "Évidence & notes"]

    # What a quick look refuses: a DTD (defusedxml), a workbook part larger than any real one, no workbook part,
    # a part that is not XML, and a file that is not a zip at all.
    dtd = part.replace(b"<workbook", b'<!DOCTYPE workbook [<!ENTITY e "x">]><workbook', 1)
    padded = part.replace(b"<sheets>", b"<!--" + b" " * tabular.MAX_DIRECTORY_PART_BYTES + b"--><sheets>", 1)
    for label, broken in (
        ("dtd", _rezip(plain, tmp_path / "dtd.xlsx", {"xl/workbook.xml": dtd})),
        ("padded", _rezip(plain, tmp_path / "padded.xlsx", {"xl/workbook.xml": padded})),
        ("garbled", _rezip(plain, tmp_path / "garbled.xlsx", {"xl/workbook.xml": b"<workbook><sheets>"})),
        ("text", tmp_path / "text.xlsx"),
    ):
        if label == "text":
            broken.write_text("campaign_ref\r\nC-1\r\n")
        with pytest.raises(ValueError):
            tabular.xlsx_sheet_names(broken)
    stored = _rezip(plain, tmp_path / "stored.xlsx", {})
    encrypted = bytearray(stored.read_bytes())
    at = 0
    while (at := encrypted.find(b"PK\x01\x02", at)) != -1:  # each member marked as encrypted in the directory
        encrypted[at + 8] |= 1
        at += 4
    stored.write_bytes(bytes(encrypted))
    with pytest.raises(ValueError, match="RuntimeError"):
        tabular.xlsx_sheet_names(stored)
    missing = tmp_path / "missing.xlsx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(missing, "w") as new:
        for info in old.infolist():
            if info.filename != "xl/workbook.xml":
                new.writestr(info.filename, old.read(info.filename))
    with pytest.raises(ValueError, match="KeyError"):
        tabular.xlsx_sheet_names(missing)
