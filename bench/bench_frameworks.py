"""Benchmark: import and export of a 5,000-item competency framework (CASE and Moodle CSV). Not run in CI.

    .venv/bin/python bench/bench_frameworks.py                     # SQLite (a throwaway test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench .venv/bin/python bench/bench_frameworks.py

Goal (issue 3): under 3 s each for import and export on PostgreSQL. Uses a throwaway test database.
"""

import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROOTS, CHILDREN, GRANDCHILDREN = 40, 4, 30  # 40 × (1 + 4 × (1 + 30)) = 5,000 items


def build():
    from competencies.formats import AssociationData, FrameworkData, ItemData

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    fw = FrameworkData(
        identifier=str(uuid.uuid4()), code="bench", titles={"fr": "Banc d'essai", "en": "Benchmark"},
        uri="https://bench.example/fw", creator="bench", last_change=when,
    )  # fmt: skip
    for r in range(1, ROOTS + 1):
        root = ItemData(identifier=str(uuid.uuid4()), code=f"{r}", item_type="domain", labels={"fr": f"Domaine {r}", "en": f"Domain {r}"},
                        statements={"fr": f"Énoncé du domaine {r}", "en": f"Domain statement {r}"}, uri=f"https://bench.example/{r}", last_change=when)  # fmt: skip
        fw.items.append(root)
        for c in range(1, CHILDREN + 1):
            child = ItemData(identifier=str(uuid.uuid4()), code=f"{r}.{c}", item_type="competency", parent=root.identifier,
                             labels={"fr": f"Compétence {r}.{c}", "en": f"Competency {r}.{c}"},
                             statements={"fr": "Une compétence assez longue " * 4, "en": "A fairly long competency " * 4},
                             uri=f"https://bench.example/{r}.{c}", last_change=when)  # fmt: skip
            fw.items.append(child)
            for g in range(1, GRANDCHILDREN + 1):
                fw.items.append(ItemData(identifier=str(uuid.uuid4()), code=f"{r}.{c}.{g}", item_type="indicator", parent=child.identifier,
                                         labels={"fr": f"Indicateur {g}", "en": f"Indicator {g}"},
                                         statements={"fr": f"Indicateur observable {r}.{c}.{g}", "en": f"Observable indicator {r}.{c}.{g}"},
                                         uri=f"https://bench.example/{r}.{c}.{g}", last_change=when))  # fmt: skip
    for n in range(0, len(fw.items) - 1, 50):
        fw.associations.append(AssociationData(identifier=str(uuid.uuid4()), association_type="isRelatedTo",
                                               origin=fw.items[n].identifier, destination=fw.items[n + 1].identifier, last_change=when))  # fmt: skip
    return fw


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"  {label:<48} {time.perf_counter() - start:6.2f} s")
    return result


def main():
    from competencies.exporting import export_framework
    from competencies.formats import get_format
    from competencies.importing import import_framework
    from competencies.models import CompetencyItem, Framework

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        data = build()
        case_bytes = get_format("case").dump(data, language="fr")
        print(
            f"Database: {connection.vendor}; {len(data.items)} items, {len(data.associations)} links, CASE file {len(case_bytes) / 1e6:.1f} MB"
        )
        timed("CASE import (new framework)", lambda: import_framework(data=case_bytes, format_name="case"))
        assert CompetencyItem.objects.filter(framework__code="bench").count() == len(data.items)
        timed("CASE import again (update in place)", lambda: import_framework(data=case_bytes, format_name="case"))
        framework = Framework.objects.get(code="bench")
        timed("CASE export (fr)", lambda: export_framework(framework=framework, format_name="case", language="fr"))
        moodle = timed(
            "Moodle CSV export (both languages)",
            lambda: export_framework(framework=framework, format_name="moodle-csv"),
        )
        Framework.objects.filter(code="bench").delete()
        timed("Moodle CSV import (new framework)", lambda: import_framework(data=moodle, format_name="moodle-csv"))
        assert CompetencyItem.find_problems() == ([], [], [], [], [])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
