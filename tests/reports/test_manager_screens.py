"""What an académie manager sees on the completion report: a competency chooser, French agreement, a row count that
never sits beside a few named rows, exports named after what they hold, erased accounts named as such."""

import csv
import io
import re
import zipfile

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

import openpyxl
import pytest

from courses.models import CoursePage, Enrolment
from privacy.erasure import erase_user
from reports import services


def page(client, **params):
    response = client.get(reverse("reports_admin:completions"), params)
    return response, response.content.decode()


def select_html(html: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def filename(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


def in_english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


@pytest.fixture
def manager(client, populated):
    client.force_login(populated.users["manager_toulouse"])
    return populated.users["manager_toulouse"]


def test_the_competency_filter_is_a_chooser_of_codes_and_labels(client, populated, manager):
    _response, html = page(client)
    chooser = select_html(html, "competency")
    assert 'label for="f-competency"' in html and "Compétence développée par la formation" in html
    assert '<optgroup label="Cadre">' in chooser  # one group per framework, titled in French
    assert re.search(r'<option value="test-fw:1">\s*1 — Comprendre l&#x27;IA</option>', chooser)
    assert re.search(r'<option value="test-fw:1.1">(\xa0)+1.1 — Usage éthique</option>', chooser)
    assert f'value="{populated.item.pk}"' not in chooser  # no internal id
    # The form is a plain GET form: choosing and submitting works without JavaScript, and the choice stays selected.
    response, html = page(client, competency="test-fw:1.1")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 8  # Toulouse's learners on the tagged national course
    assert '<option value="test-fw:1.1" selected>' in select_html(html, "competency")
    # English labels in English
    in_english(manager)
    html = client.get(reverse("reports_admin:completions")).content.decode()
    assert "1.1 — Ethical use" in select_html(html, "competency")


def test_a_typed_code_is_understood_and_a_wrong_one_explained(client, populated, manager):
    from competencies.models import CompetencyItem

    copy = CoursePage.objects.get(pk=populated.copy.pk)
    copy.competencies.add(CompetencyItem.objects.get(framework__code="unesco-aicft-2024", code="2.2"))
    copy.save()
    response, _html = page(client, competency="2.2")
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == 3
    response, html = page(client, competency="1.1")  # in two frameworks
    assert response.status_code == 400 and "plusieurs référentiels" in html


def test_all_agrees_with_the_noun_in_french(client, populated, manager):
    _response, html = page(client)
    first_option = {name: re.search(r"<option[^>]*>([^<]*)</option>", select_html(html, name)).group(1)
                    for name in ("course", "establishment", "status", "competency")}  # fmt: skip
    assert first_option == {"course": "Toutes", "establishment": "Tous", "status": "Tous", "competency": "Toutes"}


def test_the_row_count_never_sits_beside_a_few_named_rows(client, populated, manager):
    response, html = page(client, establishment=populated.etabs["t2"].pk)  # 3 rows
    assert response.context["page_obj"].paginator.count == 3
    results = html.split('<h2 class="report-summary">')[1].split("</table>")[0]  # below the filters
    assert "&lt; 5" not in results and "< 5" not in results
    assert "Lignes correspondant à ces filtres" in results
    response, html = page(client)  # 11 rows in Toulouse
    assert "11 lignes correspondent à ces filtres" in html


def test_every_column_is_in_the_table_and_the_first_one_names_the_learner(client, populated, manager):
    _response, html = page(client, establishment=populated.etabs["t1"].pk)
    table = html.split('<div class="report-table"')[1].split("</table>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    assert headers[0] == "Apprenant"  # the learner column comes first
    assert headers[-4:] == ["Terminée le", "Meilleur score aux quiz (%)", "Heures estimées", "Statut"], headers
    assert '<th scope="row" class="report-learner">Toulousain0 Prénom0<span class="report-email">t1-0@' in table
    assert 'role="region"' in html and 'tabindex="0"' in html  # the scrolling box can be reached by keyboard
    assert "reports/admin" in html and ".css" in html  # its stylesheet (sticky first column, horizontal scroll)


def test_the_two_csv_variants_and_the_xlsx_say_what_they_hold(client, populated, manager):
    url = reverse("reports_admin:completions_export")
    comma = client.get(url, {"fmt": "csv"})
    semicolon = client.get(url, {"fmt": "csv", "sep": "semicolon"})
    xlsx = client.get(url, {"fmt": "xlsx", "status": "completed"})
    everything = client.get(url, {"fmt": "xlsx"})
    names = [filename(r) for r in (comma, semicolon, xlsx, everything)]
    assert re.fullmatch(r"suivi-des-formations-toulouse-\d{4}-\d\d-\d\d-separateur-virgule\.csv", names[0]), names
    assert re.fullmatch(r"suivi-des-formations-toulouse-\d{4}-\d\d-\d\d-separateur-point-virgule\.csv", names[1])
    assert re.fullmatch(r"suivi-des-formations-toulouse-terminee-\d{4}-\d\d-\d\d\.xlsx", names[2]), names
    assert len(set(names)) == 4
    assert (
        download(semicolon).decode("utf-8-sig").splitlines()[0].count(";") == 14
    )  # 15 columns, the training session among them
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.sheetnames == ["Formations terminées"]
    assert {row[-1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)} == {"terminée"}
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(everything.streaming_content)))
    assert wb.sheetnames == ["Toutes les inscriptions"]
    assert {row[-1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)} > {"terminée"}


def test_an_english_export_has_english_names(client, populated, manager):
    in_english(manager)
    response = client.get(reverse("reports_admin:completions_export"), {"fmt": "xlsx", "status": "in_progress"})
    assert re.fullmatch(r"course-progress-toulouse-in-progress-\d{4}-\d\d-\d\d\.xlsx", filename(response))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as z:
        assert "Courses in progress" in z.read("xl/workbook.xml").decode()


def test_the_sheet_title_follows_the_status_filter(populated):
    from reports.selectors import ReportFilters

    titles = [services.completion_sheet_title(ReportFilters(status=s)) for s in (None, "completed", "not_started")]
    assert titles == ["Toutes les inscriptions", "Formations terminées", "Formations non commencées"]


def test_an_erased_account_is_named_as_such_in_the_report_and_exports(client, populated, manager):
    learner = Enrolment.objects.get(user__email="t1-0@ac-toulouse.fr").user
    erase_user(user=learner)
    learner.refresh_from_db()
    _response, html = page(client, establishment=populated.etabs["t1"].pk)
    assert "Compte effacé" in html and learner.email not in html and "Toulousain0" not in html
    text = download(client.get(reverse("reports_admin:completions_export"), {"fmt": "csv"})).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    erased = [r for r in rows if r[0] == "Compte effacé"]
    assert len(erased) == 1 and erased[0][1] == "" and erased[0][2] == ""  # no placeholder address either
    assert "@invalid" not in text
    # The AI-literacy record too (the erased learner had completed the course)
    response = client.get(reverse("reports_admin:ai_literacy_export"), {"fmt": "csv"})
    assert "Compte effacé" in download(response).decode("utf-8-sig")


def test_the_verification_page_says_the_account_was_erased(client, populated):
    cache.clear()
    enrolment = Enrolment.objects.select_related("user").get(user__email="t1-0@ac-toulouse.fr")
    attestation = services.issue_attestation(enrolment=enrolment)
    erase_user(user=enrolment.user)
    html = client.get(reverse("reports:verify"), {"code": attestation.code}).content.decode()
    learner_field = html.split("<dl>")[1].split("<dd>")[1].split("</dd>")[0]
    assert learner_field.startswith("Compte effacé")
    with translation.override("en"):  # the English page has English paths under /en/
        url = reverse("reports:verify")
    assert url.startswith("/en/")
    html = client.get(url, {"code": attestation.code}).content.decode()
    assert "Erased account" in html
