from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import translation

import pytest

from lms.models import Academie, Establishment, RegionAcademique
from lms.services import academie_for_email, import_establishments

DATA = Path(__file__).parent / "data"


def test_thirty_academies_in_eighteen_regions(db):
    assert RegionAcademique.objects.count() == 18
    assert Academie.objects.count() == 30
    assert set(Academie.objects.filter(region__code="occitanie").values_list("name", flat=True)) == {
        "Montpellier",
        "Toulouse",
    }
    assert Academie.objects.get(code="70").name == "Normandie"
    assert not Academie.objects.filter(code__in=["05", "21"]).exists()  # Caen and Rouen merged in 2020


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("prenom.nom@ac-toulouse.fr", "Toulouse"),
        ("Prenom.Nom@AC-NANTES.FR", "Nantes"),
        ("x@ac-clermont.fr", "Clermont-Ferrand"),
        ("x@ac-caen.fr", "Normandie"),
        ("x@ac-rouen.fr", "Normandie"),
        ("x@ac-spm.fr", None),  # matches ac-*.fr but is not an académie
        ("x@gmail.com", None),
        ("x@sub.ac-toulouse.fr", None),
        ("x@ac-toulouse.fr.evil.example", None),
    ],
)
def test_academie_from_email_domain(db, email, expected):
    found = academie_for_email(email)
    assert (found.name if found else None) == expected


def test_import_directory_csv(db):
    result = import_establishments(raw=(DATA / "annuaire.csv").read_bytes())
    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    lycee = Establishment.objects.get(uai="0750655E")
    assert lycee.academie.name == "Paris"
    assert Establishment.objects.get(uai="0310012V").priority_education == "REP+"
    assert Establishment.objects.get(uai="6200001G").academie.name == "Corse"
    again = import_establishments(raw=(DATA / "annuaire.csv").read_bytes())
    assert (again.created, again.updated) == (0, 3)
    assert Establishment.objects.count() == 3


def test_one_bad_row_imports_nothing_and_names_the_line(db):
    raw = (DATA / "annuaire.csv").read_bytes().replace(b"0310012V", b"0310012W")
    result = import_establishments(raw=raw)
    assert not result.ok
    assert result.errors == [
        "Ligne 3, colonne identifiant_de_l_etablissement : "
        "La lettre de contrôle de « 0310012W » est fausse : pour 0310012, ce devrait être V."
    ]
    with translation.override("en"):
        assert import_establishments(raw=raw).errors == [
            "Line 3, column identifiant_de_l_etablissement: "
            "The check letter of “0310012W” is wrong: for 0310012 it should be V."
        ]
    assert Establishment.objects.count() == 0


def test_unknown_academie_and_missing_columns(db):
    raw = "identifiant_de_l_etablissement;nom_etablissement;code_academie\n0750655E;Lycée;99\n".encode()
    result = import_establishments(raw=raw)
    assert result.errors == ["Ligne 2, colonne code_academie : code d'académie inconnu « 99 »."]
    result = import_establishments(raw=b"uai,nom\n0750655E,x\n")
    assert result.errors == ["Colonne(s) manquante(s) : code_academie."]


def test_windows_1252_comma_separated(db):
    raw = "uai,nom_etablissement,code_academie\n0750655E,Lycée élémentaire,1\n".encode("cp1252")
    result = import_establishments(raw=raw)
    assert result.ok, result.errors
    assert Establishment.objects.get().name == "Lycée élémentaire"


def test_command_reports_errors_and_exits_non_zero(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("identifiant_de_l_etablissement;nom_etablissement;code_academie\n0750655F;X;01\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_establishments", str(bad))
    assert "Ligne 2" in capsys.readouterr().err
    call_command("import_establishments", str(DATA / "annuaire.csv"), "--dry-run")
    assert Establishment.objects.count() == 0
    call_command("import_establishments", str(DATA / "annuaire.csv"))
    assert Establishment.objects.count() == 3
