import io
import json

from django.core.management import CommandError, call_command
from django.utils import translation

import pytest

from competencies.models import CompetencyItem, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


DATA = __import__("pathlib").Path(__file__).parent / "data"


def test_export_then_import_from_the_command_line(unesco, tmp_path):
    target = tmp_path / "unesco.json"
    call_command("export_framework", "unesco-aicft-2024", "--format", "case", "--language", "en", "-o", str(target))
    package = json.loads(target.read_bytes())
    assert package["CFDocument"]["language"] == "en"
    out = io.StringIO()
    call_command("import_framework", str(target), stdout=out)
    assert "0 created, 0 updated, 20 unchanged" in out.getvalue()


def test_import_moodle_with_dry_run_writes_nothing():
    out = io.StringIO()
    call_command(
        "import_framework",
        str(DATA / "moodle_fr_semicolon_cp1252.csv"),
        "--format",
        "moodle-csv",
        "--dry-run",
        stdout=out,
    )
    assert "[dry run]" in out.getvalue() and "3 created" in out.getvalue()
    assert not Framework.objects.filter(code="mag-ia").exists()
    call_command("import_framework", str(DATA / "moodle_fr_semicolon_cp1252.csv"), stdout=io.StringIO())
    assert CompetencyItem.objects.filter(framework__code="mag-ia").count() == 3


def test_bad_file_exits_non_zero_and_lists_problems(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {}}')
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_framework", str(bad), stderr=err)
    assert "identifier" in err.getvalue()


def test_unknown_framework_code():
    with pytest.raises(CommandError, match="unesco-aicft-2024"):
        call_command("export_framework", "nope", "--format", "case")


def test_export_to_stdout(unesco, capsysbinary):
    call_command("export_framework", "unesco-aicft-2024", "--format", "moodle-csv")
    assert b"unesco-aicft-2024" in capsysbinary.readouterr().out
