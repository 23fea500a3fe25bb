"""A minimal streaming XLSX (SpreadsheetML) writer: rows go straight into the zip entry of their sheet.

openpyxl's write-only mode without lxml spends most of its time in a pure-Python XML serialiser (100,000 rows × 14
columns took about a minute here); the few parts an export needs are simple enough to write directly: inline
strings, numbers, dates as serial numbers with a date style, a bold frozen header row, column widths. Files are
read back with openpyxl in the tests.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from typing import IO

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EPOCH = dt.date(1899, 12, 30)

# style indexes in styles.xml (cellXfs)
STYLE = {"text": 0, "date": 1, "percent": 2, "number": 3, "header": 4}

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})


def escape(text: str) -> str:
    return _ILLEGAL.sub("", text).translate(_ESCAPES)


def sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


class Workbook:
    """``with Workbook(out) as wb: sheet = wb.add_sheet(...); sheet.row([...]); …`` — one sheet open at a time."""

    def __init__(self, out: IO[bytes]):
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True)
        self.titles: list[str] = []
        self.current: Sheet | None = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add_sheet(self, title: str, kinds: Sequence[str], widths: Sequence[float]) -> Sheet:
        if self.current:
            self.current.close()
        self.titles.append(sheet_name(title))
        self.current = Sheet(self.zip, len(self.titles), kinds, widths)
        return self.current

    def close(self) -> None:
        if self.current:
            self.current.close()
            self.current = None
        z, n = self.zip, len(self.titles)
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, n + 1)
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(self.titles, start=1)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)
            )
            + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
            '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
            '<numFmt numFmtId="165" formatCode="0.0"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="5">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        )
        self.zip.close()


class Sheet:
    def __init__(self, zf: zipfile.ZipFile, index: int, kinds: Sequence[str], widths: Sequence[float]):
        self.stream = zf.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        self.letters = [get_column_letter(i) for i in range(1, len(kinds) + 1)]
        self.kinds = list(kinds)
        self.rows = 0
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
        self.stream.write(
            (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
            ).encode()
        )

    def header(self, values: Sequence[str]) -> None:
        self._write([str(v) for v in values], ["header"] * len(values))

    def row(self, values: Sequence) -> None:
        self._write(values, self.kinds)

    def _write(self, values: Sequence, kinds: Sequence[str]) -> None:
        self.rows += 1
        r = self.rows
        parts = [f'<row r="{r}">']
        for letter, value, kind in zip(self.letters, values, kinds, strict=False):
            if value is None or value == "":
                continue
            if kind in ("text", "header"):
                style = ' s="4"' if kind == "header" else ""
                parts.append(
                    f'<c r="{letter}{r}" t="inlineStr"{style}><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
                )
            elif kind == "date":
                day = value.date() if isinstance(value, dt.datetime) else value
                parts.append(f'<c r="{letter}{r}" s="1"><v>{(day - EPOCH).days}</v></c>')
            else:
                parts.append(f'<c r="{letter}{r}" s="{STYLE[kind]}"><v>{float(value)!r}</v></c>')
        parts.append("</row>")
        self.stream.write("".join(parts).encode())

    def close(self) -> None:
        self.stream.write(b"</sheetData></worksheet>")
        self.stream.close()
