"""Real Chromium, as an académie manager: filter the completion report by competency with the chooser, reach every
column at 1,280 px, download both CSV variants and the XLSX; axe-core finds nothing on the report and the dashboard,
in French and English. Any console error or CSP violation fails the test."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from tests.reports.conftest import populated, world  # noqa: F401

from .conftest import axe_violations, set_admin_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mot-de-passe-gestion-2026"
REPORT = "/admin/academy-reports/completions/"


def watch(page) -> list[str]:
    """Console errors (CSP violations are reported there too) and uncaught exceptions."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url} console: {m.text[:120]}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"{page.url} pageerror: {e}"))
    return problems


@pytest.fixture
def manager(populated):  # noqa: F811
    user = populated.users["manager_toulouse"]
    user.first_name, user.last_name = "Sacha", "Gestion"
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.I)).click()
    page.wait_for_load_state()


def test_manager_filters_by_competency_and_reaches_every_column(page, live_server, manager, populated):  # noqa: F811
    problems = watch(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, manager.email)
    page.goto(live_server.url + REPORT)
    chooser = page.get_by_label("Compétence développée par la formation")
    option = chooser.locator("option", has_text="1.1 — Usage éthique")
    assert option.count() == 1
    chooser.select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert "competency=test-fw%3A1.1" in page.url  # a code a person reads, no internal id
    assert page.get_by_role("heading", name="8 lignes correspondent à ces filtres").is_visible()
    assert page.get_by_label("Compétence développée par la formation").input_value() == "test-fw:1.1"

    # Nothing sticks out of the page at 1,280 px: the table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    region = page.get_by_role("region", name=re.compile("Une ligne par personne"))
    box = region.bounding_box()
    learner = page.get_by_role("rowheader", name=re.compile("Toulousain0")).first
    learner_box = learner.bounding_box()
    for name in ("Terminée le", "Meilleur score aux quiz (%)", "Heures estimées", "Statut"):
        header = page.get_by_role("columnheader", name=name, exact=True)
        header.scroll_into_view_if_needed()
        hbox = header.bounding_box()
        assert hbox["x"] >= box["x"] - 1 and hbox["x"] + hbox["width"] <= box["x"] + box["width"] + 1, name
        assert hbox["x"] + hbox["width"] <= 1280, name
        # The learner's column stays in view while the table scrolls.
        now = learner.bounding_box()
        assert abs(now["x"] - learner_box["x"]) < 2 and now["x"] + now["width"] <= hbox["x"] + 1, name
    assert page.evaluate("document.querySelector('.report-table').scrollLeft") > 0
    status_cell = page.get_by_role("row", name=re.compile("Toulousain0")).get_by_role("cell").last
    assert status_cell.inner_text().strip() == "terminée" and status_cell.is_visible()

    assert axe_violations(page) == []
    page.goto(live_server.url + "/admin/academy-reports/dashboard/")
    assert axe_violations(page) == []
    set_admin_language(manager, "en")
    page.goto(live_server.url + REPORT + "?competency=test-fw%3A1.1")
    assert page.get_by_label("Competency developed by the course").input_value() == "test-fw:1.1"
    assert page.get_by_role("columnheader", name="Completed on", exact=True).count() == 1
    assert axe_violations(page) == []
    page.goto(live_server.url + "/admin/academy-reports/dashboard/")
    assert axe_violations(page) == []
    assert problems == []


def test_manager_downloads_both_csv_variants_and_the_xlsx(page, live_server, manager, populated):  # noqa: F811
    problems = watch(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, manager.email)
    page.goto(live_server.url + REPORT)
    # The first export asks for the password again.
    page.get_by_role("link", name="CSV (séparateur virgule)").click()
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    with page.expect_download() as comma_download:
        page.get_by_role("button", name="Confirmer").click()
    comma = comma_download.value
    page.goto(live_server.url + REPORT)
    with page.expect_download() as semicolon_download:
        page.get_by_role("link", name=re.compile("CSV \\(séparateur point-virgule")).click()
    semicolon = semicolon_download.value
    page.goto(live_server.url + REPORT + "?status=completed")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    xlsx = xlsx_download.value

    assert re.fullmatch(
        r"suivi-des-formations-toulouse-\d{4}-\d\d-\d\d-separateur-virgule\.csv", comma.suggested_filename
    )
    assert re.fullmatch(
        r"suivi-des-formations-toulouse-\d{4}-\d\d-\d\d-separateur-point-virgule\.csv", semicolon.suggested_filename
    )
    assert re.fullmatch(r"suivi-des-formations-toulouse-terminee-\d{4}-\d\d-\d\d\.xlsx", xlsx.suggested_filename)
    comma_rows = list(csv.reader(io.StringIO(Path(comma.path()).read_text(encoding="utf-8-sig"))))
    semicolon_rows = list(
        csv.reader(io.StringIO(Path(semicolon.path()).read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert comma_rows[0][:3] == semicolon_rows[0][:3] == ["Nom", "Prénom", "Courriel"]
    assert len(comma_rows) == len(semicolon_rows) == 12  # header + Toulouse's 11 rows, never Nantes'
    assert all("@ac-toulouse.fr" in row[2] for row in comma_rows[1:])
    hours = comma_rows[0].index("Heures estimées")
    assert {r[hours] for r in comma_rows[1:]} >= {"6.0"} and {r[hours] for r in semicolon_rows[1:]} >= {"6,0"}
    wb = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))
    assert wb.sheetnames == ["Formations terminées"]
    assert [row[-1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["terminée"] * 6
    assert problems == []
