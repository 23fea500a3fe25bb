"""The one formula-neutralising rule for every file meant to be opened in a spreadsheet (OWASP "CSV injection").

A spreadsheet executes a cell whose text starts with ``=``, ``+``, ``-`` or ``@``, and also one whose formula hides
behind a leading tab, carriage return or line feed. Every CSV/XLSX the platform writes for a spreadsheet (reports,
the dashboard, the AI-literacy record, the CSV files inside "Download my data") passes its text cells through
``neutralise``; the PostgreSQL COPY path uses ``sql_neutralise``, built from the same prefixes. The tests'
"formula probe" (tests/reports/test_formula_probe.py) writes dangerous values through every such export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

DANGEROUS_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> str:
    """A text cell made inert: an apostrophe before a dangerous first character (the apostrophe is what spreadsheets
    themselves use to mark "text, not a formula")."""
    if value is None:
        return ""
    text = str(value)
    if not text:
        return ""
    return "'" + text if text[0] in DANGEROUS_PREFIXES else text


def sql_neutralise(expression: str) -> str:
    """The same rule in SQL (PostgreSQL), for a text ``expression``."""
    chars = ", ".join(f"chr({ord(c)})" for c in DANGEROUS_PREFIXES)
    return f"CASE WHEN left({expression}, 1) IN ({chars}) THEN '''' || {expression} ELSE {expression} END"


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = True) -> str:
    """A small CSV (in memory) with every cell, header included, neutralised; with a byte-order mark for Excel."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()
