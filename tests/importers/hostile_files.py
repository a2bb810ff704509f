"""Hostile files, made in the test that uses them: each must be refused without harm.

Nothing here is committed as a binary: bombs are built on the fly, small on disk and huge when inflated.
"""

from __future__ import annotations

import os
import random
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

TEMPLATE_HEADER = "campaign_ref,candidate_ref,stage_reached,source\r\n"
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">' for n in range(2, 10))
    + "]>\n<source><job><title>&lol9;</title></job></source>\n"
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE source [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    "<source><job><title>&secret;</title><description>x</description></job></source>\n"
)


def small_workbook(path: Path) -> Path:
    book = Workbook()
    book.active.title = "Candidates"
    book.active.append(["campaign_ref", "candidate_ref", "stage_reached"])
    for n in range(200):
        book.active.append(["C-1", f"person{n}@example.org", "longlisted"])
    book.save(path)
    return path


def zip_bomb(path: Path, inflated_mb: int = 300) -> Path:
    """An XLSX whose sheet inflates to hundreds of MB from a few hundred KB (it honestly declares its size)."""
    chunk = b"<row>" + b"\x20" * (1024 * 1024 - 11) + b"</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml", '<workbook><sheets><sheet name="Candidates" r:id="rId1"/></sheets></workbook>'
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b"<worksheet><sheetData>")
            for _ in range(inflated_mb):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return path


def lying_zip_bomb(path: Path, inflated_mb: int = 64) -> Path:
    """A zip bomb whose headers claim its sheet is 1 KB: only inflating it shows the truth."""
    zip_bomb(path, inflated_mb)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            start = at + 4
            name_length_offset = 26 if signature == b"PK\x03\x04" else 28
            name_length = struct.unpack_from("<H", data, at + name_length_offset)[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + name_length]) != name:
                continue
            if struct.unpack_from("<I", data, at + size_offset)[0] != 0xFFFFFFFF:
                struct.pack_into("<I", data, at + size_offset, 1024)
            extra_length_offset = 28 if signature == b"PK\x03\x04" else 30
            extra_length = struct.unpack_from("<H", data, at + extra_length_offset)[0]
            extra_at = name_at + name_length
            # zip64 extra field: its uncompressed size comes first
            cursor = extra_at
            while cursor < extra_at + extra_length:
                tag, length = struct.unpack_from("<HH", data, cursor)
                if tag == 1 and length >= 8:
                    struct.pack_into("<Q", data, cursor + 4, 1024)
                cursor += 4 + length
    path.write_bytes(bytes(data))
    return path


def far_cell(path: Path) -> Path:
    """A tiny XLSX with one cell at XFD1048576: a reader that allocates the grid would ask for hundreds of GB."""
    small_workbook(path)
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'r="C201"', b'r="XFD1048576"')
            target.writestr(info, data)
    rebuilt.replace(path)
    return path


def far_cell_audit_workbook(path: Path) -> Path:
    """Shaped like a Scrutineer audit workbook (Provenance and Findings sheets), with one cell at XFD1048576: the
    command line looks inside a workbook to tell an agency's returned workbook from data, and must not be the one
    to allocate the grid."""
    book = Workbook()
    provenance = book.active
    provenance.title = "Provenance"
    provenance.append(["Audit ID", "AUD-20260101-00000000"])
    findings = book.create_sheet("Findings")
    findings.append(["Finding ID", "Check ID"])
    findings["C201"] = "far"
    book.save(path)
    rebuilt = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                assert b'r="C201"' in data
                data = data.replace(b'r="C201"', b'r="XFD1048576"')
            target.writestr(info, data)
    rebuilt.replace(path)
    return path


def shared_strings_audit_workbook(path: Path, inflated_mb: int = 120) -> Path:
    """Shaped like a Scrutineer audit workbook, with a shared strings table of `inflated_mb` MB that compresses
    about 100-fold, under the zip-bomb ratio and the inflated-size limit. A reader that opens the workbook loads
    the whole table (several times its size in memory) before any sheet is read: the web process's quick look at
    the sheet names must not be that reader. Written as it is built, so making it costs the test little memory."""
    far_cell_audit_workbook(path)
    rebuilt = path.with_suffix(".tmp")
    strings = "".join(f"<si><t>{n % 1000}</t></si>" for n in range(10_000)).encode()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            data = source.read(info.filename).replace(b'r="XFD1048576"', b'r="C201"')
            if info.filename == "[Content_Types].xml" and b"sharedStrings" not in data:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(info, data)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for _ in range(inflated_mb * 1024 * 1024 // len(strings)):
                member.write(strings)
            member.write(b"</sst>")
    rebuilt.replace(path)
    return path


def workbook_with_entities(path: Path) -> Path:
    """An XLSX whose sheet XML declares the billion-laughs entities and uses them in a cell."""
    small_workbook(path)
    rebuilt = path.with_suffix(".tmp")
    declaration = LAUGHS[LAUGHS.index("<!DOCTYPE") : LAUGHS.index("]>") + 2].replace("lolz", "worksheet")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                start = text.index("<worksheet")
                text = '<?xml version="1.0" encoding="UTF-8"?>' + declaration + text[start:]
                data = text.replace("person0@example.org", "&lol9;", 1).encode("utf-8")
            target.writestr(info, data)
    rebuilt.replace(path)
    return path


def random_bytes(path: Path, size: int = 64 * 1024, seed: int = 7) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def long_line(path: Path, megabytes: int = 40) -> Path:
    with path.open("wb") as handle:
        handle.write(TEMPLATE_HEADER.encode())
        line = b"C-1,person@example.org,longlisted," + b"x" * (1024 * 1024)
        for _ in range(megabytes):
            handle.write(line)
        handle.write(b"\r\n")
    return path


def truncated_workbook(path: Path) -> Path:
    small_workbook(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def picture(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(256))
    return path


HOSTILE = {
    "empty.csv": (lambda p: (p.write_bytes(b""), p)[1], "empty"),
    "headers-only.csv": (lambda p: (p.write_text(TEMPLATE_HEADER), p)[1], "no rows"),
    "random.csv": (random_bytes, "binary"),
    "truncated.xlsx": (truncated_workbook, "damaged or cut short"),
    "bomb.xlsx": (zip_bomb, "zip bomb"),
    "lying-bomb.xlsx": (lying_zip_bomb, "zip bomb"),
    "laughs.xml": (lambda p: (p.write_text(LAUGHS), p)[1], "document type"),
    "external-entity.xml": (lambda p: (p.write_text(EXTERNAL), p)[1], "document type"),
    "long-line.csv": (long_line, "line is longer than"),
    "photo.csv": (picture, "picture"),
    "far-cell.xlsx": (far_cell, "cannot be opened"),
    "far-cell-audit-workbook.xlsx": (far_cell_audit_workbook, "cannot be opened"),
    "laughs.xlsx": (workbook_with_entities, "cannot be read (XmlError)"),
}
