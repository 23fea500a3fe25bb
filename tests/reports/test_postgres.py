"""PostgreSQL only: the COPY path gives byte-for-byte the Python writer's CSV, in one query."""

import io

import pytest

from lms.scoping import scope_for
from reports import completions, exports, selectors, services


def both(world, user="admin", **kwargs):
    scope = scope_for(world.users[user])
    results = []
    for use_copy in (True, False):
        out = io.BytesIO()
        n = services.export_completions(
            scope=scope,
            filters=kwargs.get("filters", selectors.ReportFilters()),
            fmt="csv",
            out=out,
            use_copy=use_copy,
            delimiter=kwargs.get("delimiter", ","),
        )
        results.append((n, out.getvalue()))
    return results


@pytest.mark.postgres
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_copy_equals_python_writer(populated, delimiter):
    w = populated
    # awkward values: quotes, delimiters, newlines, leading dangerous characters, empty strings
    user = w.learner(
        "odd@ac-toulouse.fr", w.etabs["t1"], first_name='Jean "Jo", le;grand', last_name="-\nMulti\r\nline"
    )
    w.enrol(user, w.other, etab=w.etabs["t1"], done=1, score=0.285)
    (n_copy, copy), (n_py, python) = both(w, delimiter=delimiter)
    assert n_py == 18
    assert copy == python
    assert n_copy == n_py
    assert copy.startswith(b"\xef\xbb\xbf")
    assert b"'-\nMulti" in copy or b"'-\nMulti".replace(b"\n", b"\r\n") in copy


@pytest.mark.postgres
def test_copy_is_scoped(populated):
    (_n, copy), _ = both(populated, user="manager_toulouse")
    assert b"ac-nantes.fr" not in copy and b"ac-toulouse.fr" in copy


@pytest.mark.postgres
def test_copy_uses_a_constant_number_of_queries(populated, django_assert_max_num_queries):
    scope = scope_for(populated.users["admin"])
    with django_assert_max_num_queries(6):
        services.export_completions(
            scope=scope, filters=selectors.ReportFilters(), fmt="csv", out=io.BytesIO(), use_copy=True
        )


@pytest.mark.postgres
def test_copy_sql_neutralises_in_sql(populated):
    qs = completions.completion_rows(scope=scope_for(populated.users["admin"]))
    sql, _params = exports.copy_sql(qs, completions.COLUMNS)
    assert "chr(9)" in sql and "chr(10)" in sql and "chr(61)" in sql and sql.startswith("COPY (SELECT")
