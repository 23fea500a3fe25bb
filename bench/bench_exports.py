"""Benchmark: the completion report's CSV export against PostgreSQL's own COPY, at 100,000 and 1,000,000 rows.
Not run in CI.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench .venv/bin/python bench/bench_exports.py [--rows 1000000]

Rows are generated with set-based SQL (generate_series) in a throwaway test database (4 courses, one learner per
4 enrolments, a completed lesson on every other enrolment): no factories, no password hashing. Each measurement runs in a forked child process, so that its peak memory (RSS) is
its own. Printed for each size:

- baseline: ``COPY (<the report's own query>) TO STDOUT WITH (FORMAT csv)`` streamed by psycopg, unformatted;
- export (COPY path): what ``export_completions`` / the command do on PostgreSQL — the same query, formatted and
  neutralised in SQL, header and BOM added — as a ratio of the baseline (goal: at most 2×, flat memory);
- export (Python path): ``values_list().iterator()`` + the csv module, for comparison;
- XLSX (reports.xlsx streaming writer) at 100,000 rows: time and memory.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

COURSES = 4
ESTABLISHMENTS = 5000


class NullWriter:
    """A sink that counts bytes (so that disk speed is not measured)."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)

    def flush(self):
        pass

    # for io.TextIOWrapper
    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    @property
    def closed(self):
        return False


def fill_defaults(cursor, table: str, given: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT expressions for an INSERT … SELECT, with a harmless value for any other NOT NULL
    column without a database default (other apps may add fields)."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    exprs = dict(given)
    for name, data_type in cursor.fetchall():
        if name in exprs or name == "id":
            continue
        if "char" in data_type or data_type == "text":
            exprs[name] = "''"
        elif data_type == "boolean":
            exprs[name] = "false"
        elif "timestamp" in data_type:
            exprs[name] = "now()"
        elif data_type == "uuid":
            exprs[name] = "gen_random_uuid()"
        elif data_type in ("jsonb", "json"):
            exprs[name] = "'{}'"
        else:
            exprs[name] = "0"
    return ", ".join(f'"{c}"' for c in exprs), ", ".join(exprs.values())


def make_courses():
    from wagtail.models import Locale

    from courses.models import CataloguePage, CoursePage, HomePage, LessonPage, ModulePage

    home = HomePage.objects.get(locale=Locale.objects.get(language_code="fr"))
    catalogue = CataloguePage(title="Catalogue")
    home.add_child(instance=catalogue)
    keys, lessons = [], []
    for i in range(COURSES):
        course = CoursePage(title=f"=Cours {i} : IA générative", summary="<p>x</p>", gaia_identifier=f"26A016{i:04d}")
        catalogue.add_child(instance=course)
        module = ModulePage(title=f"Module {i}")
        course.add_child(instance=module)
        for j in range(3):
            lesson = LessonPage(title=f"Leçon {i}.{j}", body=[])
            module.add_child(instance=lesson)
            lessons.append(lesson.translation_key)
        keys.append(course.translation_key)
    return keys, lessons


def generate(first: int, last: int, keys, lessons):
    """Enrolments first..last (0-based, inclusive), learners n // COURSES, with progress rows; set-based SQL."""
    with connection.cursor() as cursor:
        users_from, users_to = first // COURSES, last // COURSES
        cols, exprs = fill_defaults(
            cursor,
            "lms_user",
            {
                "password": "'!'",
                "email": "'learner' || n || '@ac-bench.fr'",
                "first_name": "'Prénom' || n",
                "last_name": "CASE WHEN mod(n, 97) = 0 THEN '=HYPERLINK(\"x\")' ELSE 'Nom-' || n END",
                "is_superuser": "false",
                "is_staff": "false",
                "is_active": "true",
                "date_joined": "now()",
                "academie_id": "(SELECT id FROM lms_academie ORDER BY id OFFSET mod(n, 30) LIMIT 1)",
                "establishment_id": f"(SELECT min(id) FROM lms_establishment) + mod(n, {ESTABLISHMENTS})",
                "academie_source": "'email'",
                "preferred_language": "'fr'",
            },
        )
        cursor.execute(
            f"INSERT INTO lms_user ({cols}) SELECT {exprs} FROM generate_series(%s, %s) AS n",
            [users_from, users_to],
        )
        keys_sql = "ARRAY[" + ", ".join(f"'{k}'::uuid" for k in keys) + "]"
        cols, exprs = fill_defaults(
            cursor,
            "courses_enrolment",
            {
                "user_id": "u.id",
                "course_key": f"({keys_sql})[1 + mod(n, {COURSES})]",
                "registration": "gen_random_uuid()",
                "academie_id": "u.academie_id",
                "establishment_id": "u.establishment_id",
                "enrolled_at": "timestamp with time zone '2025-09-01' + mod(n, 300) * interval '1 day'",
                "completed_at": "CASE WHEN mod(n, 5) < 2 THEN timestamp with time zone '2025-10-01' + mod(n, 300) * interval '1 day' END",
            },
        )
        cursor.execute(
            f"INSERT INTO courses_enrolment ({cols}) SELECT {exprs} FROM generate_series(%s, %s) AS n "
            f"JOIN lms_user u ON u.email = 'learner' || (n / {COURSES}) || '@ac-bench.fr'",
            [first, last],
        )
        lessons_sql = "ARRAY[" + ", ".join(f"'{k}'::uuid" for k in lessons) + "]"
        cols, exprs = fill_defaults(
            cursor,
            "courses_activityprogress",
            {
                "enrolment_id": "e.id",
                "activity_key": f"({lessons_sql})[1 + (array_position(ARRAY[{', '.join(repr(str(k)) for k in keys)}]::uuid[], e.course_key) - 1) * 3]",
                "kind": "'lesson'",
                "first_seen_at": "e.enrolled_at",
                "completed_at": "e.enrolled_at + interval '1 hour'",
            },
        )
        cursor.execute(
            f"INSERT INTO courses_activityprogress ({cols}) SELECT {exprs} FROM courses_enrolment e "
            "WHERE mod(e.id, 2) = 0 AND NOT EXISTS (SELECT 1 FROM courses_activityprogress p WHERE p.enrolment_id = e.id)"
        )
        cursor.execute("ANALYZE")


def measure(label: str, func, baseline: float | None = None) -> float:
    """Run func in a forked child; print wall time and the child's peak RSS."""
    connection.close()  # the child opens its own connection
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        start = time.perf_counter()
        rows = func()
        elapsed = time.perf_counter() - start
        os.write(write_fd, f"{elapsed} {rows}".encode())
        os._exit(0)
    os.close(write_fd)
    _pid, status, usage = os.wait4(pid, 0)
    data = os.read(read_fd, 100).decode().split()
    os.close(read_fd)
    if status != 0 or not data:
        print(f"  {label:<44} FAILED (status {status})")
        return float("nan")
    elapsed, rows = float(data[0]), int(data[1])
    ratio = f"  {elapsed / baseline:4.2f}× COPY" if baseline else ""
    print(f"  {label:<44} {rows:>9} rows {elapsed:7.2f} s  peak RSS {usage.ru_maxrss / 1024:6.0f} MB{ratio}")
    return elapsed


def run_size(n_rows: int, with_python: bool, with_xlsx: bool):
    from lms.scoping import Scope
    from reports import completions, selectors, services

    scope = Scope(everything=True)
    filters = selectors.ReportFilters()
    print(f"\n{n_rows:,} rows")

    def baseline():
        from psycopg import ClientCursor

        qs = completions.completion_values(completions.completion_rows(scope=scope, filters=filters))
        sql, params = qs.query.sql_with_params()
        connection.ensure_connection()
        count = 0
        cursor = ClientCursor(connection.connection)
        with cursor, cursor.copy(cursor.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)) as copy:
            sink = NullWriter()
            for data in copy:
                sink.write(data)
                count += 1
        return count

    def export(fmt="csv", use_copy=True):
        def run():
            import tempfile

            # /dev/null for CSV (disk speed is not what is measured); a real temporary file for XLSX (a zip)
            with open(os.devnull, "wb") if fmt == "csv" else tempfile.TemporaryFile() as out:
                return services.export_completions(
                    scope=scope, filters=filters, fmt=fmt, out=out, use_copy=use_copy, delimiter=";"
                )

        return run

    if os.environ.get("BENCH_EXPLAIN"):
        qs = completions.completion_values(completions.completion_rows(scope=scope, filters=filters))
        print(qs.explain(analyze=True))
    base = measure("PostgreSQL COPY of the same query (baseline)", baseline)
    measure("export_completions CSV, COPY path", export(), base)
    if with_python:
        measure("export_completions CSV, Python path", export(use_copy=False), base)
    if with_xlsx:
        measure("export_completions XLSX (streamed)", export(fmt="xlsx"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-python-at-max", action="store_true", help="Skip the slow Python path at full size.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        keys, lessons = make_courses()
        with connection.cursor() as cursor:
            cols, exprs = fill_defaults(
                cursor,
                "lms_establishment",
                {
                    "uai": "lpad(n::text, 7, '0') || 'A'",
                    "name": "'Collège ' || n",
                    "academie_id": "(SELECT id FROM lms_academie ORDER BY id OFFSET mod(n, 30) LIMIT 1)",
                },
            )
            cursor.execute(
                f"INSERT INTO lms_establishment ({cols}) SELECT {exprs} FROM generate_series(1, %s) AS n",
                [ESTABLISHMENTS],
            )
        small = min(100_000, args.rows)
        start = time.perf_counter()
        generate(0, small - 1, keys, lessons)
        print(f"Database: PostgreSQL; generated {small:,} enrolments in {time.perf_counter() - start:.1f} s")
        run_size(small, with_python=True, with_xlsx=True)
        if args.rows > small:
            start = time.perf_counter()
            generate(small, args.rows - 1, keys, lessons)
            print(f"\nGenerated {args.rows - small:,} more enrolments in {time.perf_counter() - start:.1f} s")
            run_size(args.rows, with_python=not args.skip_python_at_max, with_xlsx=False)
        print(
            f"\nThis process's own peak RSS (generation): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
