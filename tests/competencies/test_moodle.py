import csv
import io

import pytest

from competencies.exporting import export_framework
from competencies.importing import import_framework
from competencies.models import CompetencyItem, Framework, ItemAssociation
from competencies.selectors import framework_items

pytestmark = pytest.mark.django_db


def rows(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_import_english_moodle_with_multilang_bom_and_multiline_html(data_file):
    [report] = import_framework(data=data_file("moodle_en_multilang.csv"), format_name="moodle-csv")
    framework = Framework.objects.get(code="crcn-ia")
    assert report.framework_created and len(report.created) == 5
    assert framework.title_fr == "Compétences IA des enseignants"
    assert framework.title_en == "Teachers' AI competencies"
    assert framework.description_en == "Demonstration framework"
    items = {i.code: i for i in framework_items(framework=framework)}
    assert [(i.code, i.depth) for i in framework_items(framework=framework)] == [
        ("D1", 1), ("D1.1", 2), ("D2", 1), ("D2.1", 2), ("X,Y", 2)
    ]  # fmt: skip
    assert items["D1"].label_fr == "Éthique" and items["D1"].label_en == "Ethics"
    # Quoted field over several lines, HTML paragraphs, entities.
    assert items["D1"].statement_fr == "Agir de façon éthique.\nAvec les élèves & les collègues."
    assert items["D1.1"].statement_en == "Protect students'\ndata"
    # The taxonomy gives each depth its type.
    assert items["D1"].item_type == "domain" and items["D1.1"].item_type == "competency"
    # Cross-references, including an id number with an escaped comma.
    links = {(a.origin.code, a.destination.code) for a in ItemAssociation.objects.filter(framework=framework)}
    assert links == {("D1.1", "D2.1"), ("D1.1", "X,Y")}
    # Scale and rule kept for the way back.
    assert framework.extra["moodle"]["scale_values"] == "Not yet,In progress,Acquired"
    assert items["D1.1"].extra["moodle"]["rule_type"] == "core_competency\\competency_rule_all"


def test_import_french_spreadsheet_file_semicolon_windows_1252(data_file):
    import_framework(data=data_file("moodle_fr_semicolon_cp1252.csv"), format_name="moodle-csv")
    framework = Framework.objects.get(code="mag-ia")
    assert framework.title_fr == "Référentiel IA M@gistère"
    assert framework.description_fr == "Parcours « IA générative » – académie de Créteil"
    items = {i.code: i for i in framework_items(framework=framework)}
    assert items["C1"].statement_fr == "Savoir expliquer à un élève ce qu'est un modèle de langage."
    assert items["C1.1"].label_fr == "Écrire une requête précise"
    assert items["C1.1"].statement_fr == "Rédiger une requête (« prompt ») claire et contextualisée"
    assert items["C1.1"].label_en == ""
    assert [i.code for i in framework.items.order_by("path")] == ["C1", "C1.1", "C1.2"]


def test_language_option_puts_plain_text_in_english(data_file):
    import_framework(data=data_file("moodle_fr_semicolon_cp1252.csv"), format_name="moodle-csv", language="en")
    item = CompetencyItem.objects.get(code="C1.2")
    assert item.label_en == "Vérifier les réponses" and item.label_fr == ""


def test_import_twice_updates_in_place(data_file):
    import_framework(data=data_file("moodle_en_multilang.csv"))
    pks = dict(CompetencyItem.objects.filter(framework__code="crcn-ia").values_list("code", "pk"))
    [report] = import_framework(data=data_file("moodle_en_multilang.csv"))
    assert report.created == [] and len(report.unchanged) == 5
    assert dict(CompetencyItem.objects.filter(framework__code="crcn-ia").values_list("code", "pk")) == pks
    assert ItemAssociation.objects.filter(framework__code="crcn-ia").count() == 2


def test_export_unesco_both_languages(unesco):
    data = export_framework(framework=unesco, format_name="moodle-csv")
    table = rows(data)
    assert len(table) == 1 + 1 + 20
    assert all(len(row) == 14 for row in table)
    framework_row = table[1]
    assert framework_row[1] == "unesco-aicft-2024" and framework_row[12] == "1"
    assert framework_row[13] == "domain,competency"
    two_two = next(r for r in table if r[1] == "2.2")
    assert two_two[0] == "2"
    assert two_two[2] == (
        '<span lang="fr" class="multilang">Utilisation sûre et responsable</span>'
        '<span lang="en" class="multilang">Safe and responsible use</span>'
    )


def test_export_one_language_has_french_headers_and_plain_text(unesco):
    table = rows(export_framework(framework=unesco, format_name="moodle-csv", language="fr"))
    assert table[0][1] == "Numéro d'identification"
    two_two = next(r for r in table if r[1] == "2.2")
    assert two_two[2] == "Utilisation sûre et responsable"
    assert two_two[4] == "2"  # plain text


def test_exported_unesco_imports_into_a_moodle_shaped_reader(unesco):
    """What Moodle does: read by position, exactly one framework row, parents known."""
    table = rows(export_framework(framework=unesco, format_name="moodle-csv"))[1:]
    assert sum(1 for r in table if r[12] == "1") == 1
    ids = {r[1] for r in table}
    assert all(r[0] in ids or r[0] == "" for r in table)
    assert all(len(r[1]) <= 100 for r in table)


def test_mlang_syntax_and_other_languages_are_handled():
    header = ",".join(f"c{n}" for n in range(14)) + "\n"
    data = (
        header
        + ',FW,"{mlang fr}Référentiel{mlang}{mlang en}Framework{mlang}",,1,,,,,,,,1,\n'
        + ',A,"<span lang=""de"" class=""multilang"">Nur Deutsch</span>",,1,,,,,,,,0,\n'
        + ',B,"<span class=""multilang"" lang=""en_us"">English</span><span class=""multilang"" lang=""fr"">Français</span>",,1,,,,,,,,0,\n'
    ).encode()
    import_framework(data=data)
    framework = Framework.objects.get(code="fw")
    assert (framework.title_fr, framework.title_en) == ("Référentiel", "Framework")
    items = {i.code: i for i in framework.items.all()}
    assert items["A"].label_fr == "Nur Deutsch"  # no French or English: kept in the import language
    assert (items["B"].label_fr, items["B"].label_en) == ("Français", "English")
