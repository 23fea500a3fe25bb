"""Streamed CSV and XLSX writers: nothing is loaded in memory whole.

- CSV: UTF-8 with a byte-order mark (Excel needs it to read accents), comma or semicolon; with a semicolon the
  decimal separator is a comma, as French spreadsheets expect. Dates as ISO 8601 (YYYY-MM-DD), percentages as
  whole numbers (0–100).
- XLSX: streamed straight into the zip (``reports.xlsx``), typed cells (dates as dates, percentages as numbers formatted 0 %), header row
  frozen, column widths set; past 1,048,576 rows the report continues on a new sheet.
- Cells a spreadsheet would execute (text starting with ``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed)
  are prefixed with an apostrophe in both formats, by the platform's one rule in ``lms.spreadsheets`` — in Python,
  and in SQL for the PostgreSQL COPY path.
- On PostgreSQL, CSV goes through ``COPY (SELECT …) TO STDOUT`` streamed by psycopg 3, the formatting and the
  neutralisation done in SQL; its output is byte-for-byte the Python writer's (tested).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from psycopg import ClientCursor

from lms.spreadsheets import neutralise, sql_neutralise

from .xlsx import Workbook

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576  # per sheet, header included
CHUNK_SIZE = 2000

Column = tuple[str, Any, str]  # (name, header, kind) — kind: text, date, percent, number
Progress = Callable[[int], None] | None


def _local_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _percent(value: float | None) -> int | None:
    return None if value is None else int(math.floor(value * 100 + 0.5))


def csv_cell(value: Any, kind: str, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if kind == "date":
        day = _local_date(value)
        return day.isoformat() if day else ""
    if kind == "percent":
        return str(_percent(value))
    if kind == "number":
        text = format(Decimal(str(value)), ".1f")
        return text.replace(".", ",") if decimal_comma else text
    return neutralise(str(value))


def _progress_every_chunk(rows: Iterable[Sequence], progress: Progress, chunk: int) -> Iterator[Sequence]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress and done % chunk == 0:
            progress(done)
    if progress:
        progress(done)


def write_csv(
    out: IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    delimiter: str = ",",
    progress: Progress = None,
    chunk: int = CHUNK_SIZE,
) -> int:
    """Write a header and ``rows`` (typed Python values, in ``columns`` order) as CSV to a binary stream."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        text.write(BOM)
        writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")
        writer.writerow([neutralise(header) for _name, header, _kind in columns])
        kinds = [kind for _name, _header, kind in columns]
        decimal_comma = delimiter == ";"
        count = 0
        for row in _progress_every_chunk(rows, progress, chunk):
            writer.writerow([csv_cell(v, k, decimal_comma) for v, k in zip(row, kinds, strict=True)])
            count += 1
        text.flush()
        return count
    finally:
        text.detach()


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence], *, delimiter: str = ",") -> Iterator[bytes]:
    """The same CSV as ``write_csv``, as an iterator of byte chunks (for StreamingHttpResponse)."""
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")
    text.write(BOM)
    writer.writerow([neutralise(header) for _name, header, _kind in columns])
    kinds = [kind for _name, _header, kind in columns]
    decimal_comma = delimiter == ";"
    for i, row in enumerate(rows):
        writer.writerow([csv_cell(v, k, decimal_comma) for v, k in zip(row, kinds, strict=True)])
        if i % 500 == 499:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- PostgreSQL COPY ----------------------------------------------------------------------------------------------


def _sql_text(column: str) -> str:
    value = f"NULLIF(r.\"{column}\", '')"
    return sql_neutralise(value)


def _sql_cell(column: str, kind: str, decimal_comma: bool) -> str:
    if kind == "date":
        return f"to_char(r.\"{column}\" AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM-DD')"
    if kind == "percent":
        return f'floor(r."{column}" * 100 + 0.5)::int'
    if kind == "number":
        text = f'round(r."{column}"::numeric, 1)::text'
        return f"replace({text}, '.', ',')" if decimal_comma else text
    return _sql_text(column)


def copy_sql(qs: QuerySet, columns: Sequence[Column], *, delimiter: str = ",") -> tuple[str, tuple]:
    """``COPY (SELECT formatted columns FROM (<the report's own query>) r) TO STDOUT`` and its parameters."""
    inner, params = qs.values_list(*[c[0] for c in columns]).query.sql_with_params()
    decimal_comma = delimiter == ";"
    select = ", ".join(_sql_cell(name, kind, decimal_comma) for name, _h, kind in columns)
    delim = "';'" if delimiter == ";" else "','"
    # Column names come from our own column lists and the inner query from the ORM (its values are parameters).
    return f"COPY (SELECT {select} FROM ({inner}) r) TO STDOUT WITH (FORMAT csv, DELIMITER {delim})", params  # noqa: S608


def copy_csv(
    out: IO[bytes],
    qs: QuerySet,
    columns: Sequence[Column],
    *,
    delimiter: str = ",",
    progress: Progress = None,
    chunk: int = CHUNK_SIZE,
) -> int:
    """PostgreSQL only: stream the report's CSV straight from the server (one query, whatever the size)."""
    sql, params = copy_sql(qs, columns, delimiter=delimiter)
    out.write(BOM.encode())
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator="\n").writerow([neutralise(h) for _n, h, _k in columns])
    out.write(header.getvalue().encode())
    connection.ensure_connection()
    count = 0
    with ClientCursor(connection.connection) as cursor:
        statement = cursor.mogrify(sql, params)
        with cursor.copy(statement) as copy:
            for data in copy:  # psycopg yields one block per CopyData message: one row each
                out.write(data)
                count += 1
                if progress and count % chunk == 0:
                    progress(count)
    if progress:
        progress(count)
    return count


# --- XLSX ---------------------------------------------------------------------------------------------------------

WIDTHS = {"date": 12, "percent": 10, "number": 10, "text": 24}


def xlsx_cell(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "date":
        return _local_date(value)
    if kind == "percent":
        return float(value)
    if kind == "number":
        return float(value) if isinstance(value, Decimal | int | float) else value
    return neutralise(str(value))


def write_xlsx(
    out: IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Report",
    max_rows: int = XLSX_MAX_ROWS,
    progress: Progress = None,
    chunk: int = CHUNK_SIZE,
    note: str | None = None,
) -> int:
    """Write an XLSX workbook, streamed sheet by sheet into the zip (``reports.xlsx``): nothing held in memory."""
    kinds = [kind for _n, _h, kind in columns]
    headers = [neutralise(str(header)) for _n, header, _k in columns]
    widths = [max(WIDTHS[kind], min(40, len(str(header)) + 2)) for _n, header, kind in columns]
    count = 0
    with Workbook(out) as wb:
        sheet = None
        for row in _progress_every_chunk(rows, progress, chunk):
            if sheet is None or sheet.rows >= max_rows:
                n = len(wb.titles) + 1
                sheet = wb.add_sheet(sheet_title if n == 1 else f"{sheet_title[:25]} ({n})", kinds, widths)
                sheet.header(headers)
            sheet.row([xlsx_cell(value, kind) for value, kind in zip(row, kinds, strict=True)])
            count += 1
        if sheet is None:
            wb.add_sheet(sheet_title, kinds, widths).header(headers)
        if note:
            about = wb.add_sheet("Note", ["text"], [120])
            about.row([neutralise(note)])
    return count
