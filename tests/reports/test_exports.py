"""CSV and XLSX exports: encodings, neutralisation (read back), typed cells, sheet splitting, query counts."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from lms.scoping import scope_for
from reports import completions, exports, selectors, services


def export(world, fmt, **kwargs):
    out = io.BytesIO()
    scope = scope_for(world.users["admin"])
    filters = kwargs.pop("filters", selectors.ReportFilters())
    n = services.export_completions(scope=scope, filters=filters, fmt=fmt, out=out, use_copy=False, **kwargs)
    return n, out.getvalue()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("Jean-Paul", "Jean-Paul"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise(raw, expected):
    assert exports.neutralise(raw) == expected


def test_csv_has_bom_header_and_neutralised_cells(populated):
    n, data = export(populated, "csv")
    assert n == 17
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Nom" or rows[0][0] == "Last name"
    assert len(rows) == 18
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", cell
    assert "'=1+1" in cells and "'+33612345678" in cells and "'@cmd" in cells and "'\tTab" in cells
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'-Données personnelles" not in cells  # nobody enrolled in it
    # accents survive the round trip
    assert any("Jaurès" in cell for cell in cells)


def test_csv_semicolon_uses_decimal_comma(populated):
    _n, data = export(populated, "csv", delimiter=";")
    text = data.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.count(";") == len(completions.COLUMNS) - 1
    row = next(csv.reader([first], delimiter=";"))
    hours = row[completions.COLUMN_NAMES.index("estimated_hours")]
    assert "," in hours and "." not in hours


def test_csv_values(populated, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        _n, data = export(populated, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_email = {r["E-mail"]: r for r in rows}
    done = by_email["t1-0@ac-toulouse.fr"]
    assert done["Progress (%)"] == "100"
    assert done["Completed on"] == "2026-10-05"
    assert done["Enrolled on"] == "2026-09-01"
    assert done["Best quiz score (%)"] == "50"
    assert done["Status"] == "completed"
    assert done["GAIA identifier"] == "26A0160001"
    assert done["UAI"] == populated.etabs["t1"].uai
    assert by_email["t1-7@ac-toulouse.fr"]["Progress (%)"] == "25"  # 1 of 4 required lessons (optional not counted)
    assert by_email["t1-7@ac-toulouse.fr"]["Status"] == "in progress"
    assert by_email["n1-4@ac-nantes.fr"]["Status"] == "not started"
    assert by_email["n1-4@ac-nantes.fr"]["Best quiz score (%)"] == ""
    assert by_email["t2-0@ac-toulouse.fr"]["Progress (%)"] == "50"  # the Toulouse copy has 2 required lessons


def test_xlsx_typed_neutralised_frozen(populated):
    n, data = export(populated, "xlsx")
    assert n == 17
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 10
    header = [c.value for c in ws[1]]
    assert len(header) == len(completions.COLUMNS)
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 17
    for row in rows:
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert cell.value[0] not in "=+-@\t\r", cell.value
    texts = {c.value for row in rows for c in row if isinstance(c.value, str)}
    assert {"'=1+1", "'+33612345678", "'@cmd", "'\tTab"} <= texts
    i = {name: k for k, name in enumerate(completions.COLUMN_NAMES)}
    completed = next(r for r in rows if r[i["email"]].value == "t1-0@ac-toulouse.fr")
    assert completed[i["enrolled_at"]].value == dt.datetime(2026, 9, 1)  # a date cell
    assert completed[i["enrolled_at"]].is_date
    assert completed[i["progress"]].value == 1.0 and completed[i["progress"]].number_format == "0%"
    assert completed[i["best_score"]].value == 0.5
    assert completed[i["estimated_hours"]].value == 6.0


def test_xlsx_splits_across_sheets(populated):
    n, data = export(populated, "xlsx", max_rows_per_sheet=6)  # 5 rows + header per sheet
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert n == 17
    assert len(wb.worksheets) == 4
    assert [ws.max_row for ws in wb.worksheets] == [6, 6, 6, 3]
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    assert wb.worksheets[1].cell(1, 1).value == wb.worksheets[0].cell(1, 1).value


def test_xlsx_max_rows_is_excels_limit():
    assert exports.XLSX_MAX_ROWS == 1_048_576


def test_export_query_count_is_constant(populated, django_assert_max_num_queries):
    # 17 rows, chunk of 2000: catalogue (a few queries, one for the modules of the completion rule) + 1 for the
    # rows; same bound whatever the number of rows.
    with django_assert_max_num_queries(8):
        export(populated, "csv")
    with django_assert_max_num_queries(8):
        export(populated, "xlsx")


def test_export_query_count_does_not_grow_with_rows(populated, django_assert_max_num_queries):
    w = populated
    etab = w.etabs["t1"]
    for i in range(30):
        u = w.learner(f"more-{i}@ac-toulouse.fr", etab)
        w.enrol(u, w.other, etab=etab, done=1)
    old = exports.CHUNK_SIZE
    exports.CHUNK_SIZE = 5  # many chunks
    try:
        with django_assert_max_num_queries(8):
            n, _ = export(w, "csv")
    finally:
        exports.CHUNK_SIZE = old
    assert n == 47


def test_progress_is_reported(populated):
    seen = []
    out = io.BytesIO()
    services.export_completions(
        scope=scope_for(populated.users["admin"]),
        filters=selectors.ReportFilters(),
        fmt="csv",
        out=out,
        use_copy=False,
        progress=seen.append,
    )
    assert seen[-1] == 17


def test_xlsx_escapes_markup_and_control_characters():
    out = io.BytesIO()
    columns = [("a", "Texte <&>", "text"), ("b", "Date", "date"), ("c", "%", "percent"), ("d", "h", "number")]
    rows = [('<b>"x" & y</b>', dt.date(2026, 1, 31), 0.333, 1.5), ("bell\x07 line\r\nnext", None, None, None)]
    assert exports.write_xlsx(out, columns, rows) == 2
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert [c.value for c in ws[1]] == ["Texte <&>", "Date", "%", "h"]
    assert ws["A1"].font.b
    assert ws["A2"].value == '<b>"x" & y</b>'
    assert ws["B2"].value == dt.datetime(2026, 1, 31) and ws["B2"].number_format == "DD/MM/YYYY"
    assert ws["C2"].value == 0.333 and ws["D2"].value == 1.5 and ws["D2"].number_format == "0.0"
    assert ws["A3"].value == "bell line\r\nnext"  # illegal XML control character dropped, CR kept
    assert ws["B3"].value is None


def test_xlsx_empty_report_has_its_header():
    out = io.BytesIO()
    assert exports.write_xlsx(out, completions.COLUMNS, []) == 0
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws.max_row == 1 and ws.freeze_panes == "A2"
