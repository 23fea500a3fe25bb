"""The personal-data registry (`lms.personal_data`): every table of the project that holds personal data is claimed
by its own app's declaration, and `privacy` reaches other apps only through it."""

import ast
from pathlib import Path

import pytest

from lms import account_data
from lms.personal_data import ACCOUNT, declarations, erasure_steps
from privacy.inventory import personal_models

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = {"lms", "competencies", "courses", "assessments", "xapi", "reports", "cohorts", "privacy"}


def test_every_project_table_with_personal_data_is_declared_by_its_own_app(db):
    claimed = {(d.app_label, label) for d in declarations() for label in d.tables}
    found = {p.label for p in personal_models() if p.model._meta.app_label in PROJECT_APPS}
    missing = sorted(label for label in found if (label.split(".")[0], label) not in claimed)
    assert missing == [], f"declare these tables in their app's personal_data.py: {missing}"
    stale = sorted(label for _app, label in claimed if label not in found)
    assert stale == [], f"declared but holding no personal data (renamed?): {stale}"


def test_every_app_with_personal_data_declares_it():
    assert {d.app_label for d in declarations()} == PROJECT_APPS


def test_the_account_is_anonymised_after_the_steps_that_need_its_address():
    runs = [step.run for step in erasure_steps()]
    assert runs.index(account_data.erase_login_records) < runs.index(account_data.anonymise_account)
    assert [s.run for s in erasure_steps() if s.order == ACCOUNT] == [account_data.anonymise_account]


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
    return names & PROJECT_APPS


# The page tree is courses': the demo puts the legal pages under its home page, and the footer's list of legal pages
# is kept in its content-generation cache.
PAGE_TREE = {"demo.py", "templatetags/privacy_tags.py"}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (ROOT / "privacy").rglob("*.py") if "migrations" not in p.parts),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_privacy_imports_no_other_app_than_lms(path):
    allowed = {"lms", "privacy"} | ({"courses"} if str(path.relative_to(ROOT / "privacy")) in PAGE_TREE else set())
    assert _imported_apps(path) <= allowed


def test_no_app_imports_privacy():
    users = [
        str(path.relative_to(ROOT))
        for app in PROJECT_APPS - {"privacy"}
        for path in (ROOT / app).rglob("*.py")
        if "privacy" in _imported_apps(path)
    ]
    assert users == []
