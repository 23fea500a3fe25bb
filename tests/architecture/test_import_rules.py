"""The apps import one way only (docs/architecture.md): an app may import the apps below it, never one above it.

Read from the source with `ast` (imports inside functions count too), so a new upward import fails here before it
becomes a cycle. The project modules of `lms` (settings, URLs, the demo loader) sit above everything.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# app → the apps it may import (besides itself). Bottom first.
MAY_IMPORT: dict[str, set[str]] = {
    "lms": set(),
    "xapi": {"lms"},
    "competencies": {"lms"},
    "courses": {"competencies", "xapi", "lms"},
    "assessments": {"courses", "competencies", "xapi", "lms"},
    "cohorts": {"assessments", "courses", "competencies", "xapi", "lms"},
    "reports": {"cohorts", "assessments", "courses", "competencies", "xapi", "lms"},
    "privacy": {"lms"},
}
APPS = set(MAY_IMPORT)

# The project: settings, URLs, WSGI/ASGI and the demo population sit above every app and may import any.
PROJECT = {"lms/urls.py", "lms/wsgi.py", "lms/asgi.py", "lms/demo.py", "lms/demo_population.py"}
PROJECT_DIRS = ("lms/settings/", "lms/management/commands/")

# Known, named exceptions: (importing file, imported app) → why.
EXCEPTIONS = {
    ("privacy/demo.py", "courses"): "the legal pages are placed under the site's home page (a page-tree use)",
    ("privacy/templatetags/privacy_tags.py", "courses"): "the footer's links are memoised per content generation",
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & APPS
    return found


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for app, allowed in MAY_IMPORT.items():
        for path in sorted((root / app).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if "/migrations/" in rel or rel in PROJECT or rel.startswith(PROJECT_DIRS):
                continue
            for other in sorted(imported_apps(path) - {app} - allowed):
                if (rel, other) not in EXCEPTIONS:
                    found.append(f"{rel} imports {other}")
    return found


def test_no_app_imports_an_app_above_it():
    assert violations() == []


def test_the_rule_catches_an_upward_import(tmp_path):
    for app in MAY_IMPORT:
        (tmp_path / app).mkdir()
    (tmp_path / "courses" / "views.py").write_text("def f():\n    from assessments.models import QuizPage\n")
    (tmp_path / "xapi" / "outbox.py").write_text("import courses.models\n")
    (tmp_path / "lms" / "urls.py").write_text("from reports import views\n")  # the project: allowed
    assert violations(tmp_path) == ["xapi/outbox.py imports courses", "courses/views.py imports assessments"]


@pytest.mark.parametrize("exception", sorted(EXCEPTIONS))
def test_each_exception_is_still_needed(exception):
    path, app = exception
    assert app in imported_apps(ROOT / path), f"{path} no longer imports {app}: remove the exception"
