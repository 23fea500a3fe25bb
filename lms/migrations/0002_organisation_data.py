"""The 18 régions académiques and 30 académies (since 1 January 2020), with their staff e-mail domains.

Decision: the retired domains ac-caen.fr and ac-rouen.fr map to Normandie (code 70), which merged Caen and Rouen;
no other académie could claim them and some staff addresses lingered after the merger.
"""

from django.db import migrations

REGIONS = {
    "auvergne-rhone-alpes": "Auvergne-Rhône-Alpes",
    "bourgogne-franche-comte": "Bourgogne-Franche-Comté",
    "bretagne": "Bretagne",
    "centre-val-de-loire": "Centre-Val de Loire",
    "corse": "Corse",
    "grand-est": "Grand Est",
    "guadeloupe": "Guadeloupe",
    "guyane": "Guyane",
    "hauts-de-france": "Hauts-de-France",
    "ile-de-france": "Île-de-France",
    "la-reunion": "La Réunion",
    "martinique": "Martinique",
    "mayotte": "Mayotte",
    "normandie": "Normandie",
    "nouvelle-aquitaine": "Nouvelle-Aquitaine",
    "occitanie": "Occitanie",
    "pays-de-la-loire": "Pays de la Loire",
    "provence-alpes-cote-d-azur": "Provence-Alpes-Côte d'Azur",
}

ACADEMIES = [
    ("01", "Paris", "ile-de-france", "ac-paris.fr", ""),
    ("02", "Aix-Marseille", "provence-alpes-cote-d-azur", "ac-aix-marseille.fr", ""),
    ("03", "Besançon", "bourgogne-franche-comte", "ac-besancon.fr", ""),
    ("04", "Bordeaux", "nouvelle-aquitaine", "ac-bordeaux.fr", ""),
    ("06", "Clermont-Ferrand", "auvergne-rhone-alpes", "ac-clermont.fr", ""),
    ("07", "Dijon", "bourgogne-franche-comte", "ac-dijon.fr", ""),
    ("08", "Grenoble", "auvergne-rhone-alpes", "ac-grenoble.fr", ""),
    ("09", "Lille", "hauts-de-france", "ac-lille.fr", ""),
    ("10", "Lyon", "auvergne-rhone-alpes", "ac-lyon.fr", ""),
    ("11", "Montpellier", "occitanie", "ac-montpellier.fr", ""),
    ("12", "Nancy-Metz", "grand-est", "ac-nancy-metz.fr", ""),
    ("13", "Poitiers", "nouvelle-aquitaine", "ac-poitiers.fr", ""),
    ("14", "Rennes", "bretagne", "ac-rennes.fr", ""),
    ("15", "Strasbourg", "grand-est", "ac-strasbourg.fr", ""),
    ("16", "Toulouse", "occitanie", "ac-toulouse.fr", ""),
    ("17", "Nantes", "pays-de-la-loire", "ac-nantes.fr", ""),
    ("18", "Orléans-Tours", "centre-val-de-loire", "ac-orleans-tours.fr", ""),
    ("19", "Reims", "grand-est", "ac-reims.fr", ""),
    ("20", "Amiens", "hauts-de-france", "ac-amiens.fr", ""),
    ("22", "Limoges", "nouvelle-aquitaine", "ac-limoges.fr", ""),
    ("23", "Nice", "provence-alpes-cote-d-azur", "ac-nice.fr", ""),
    ("24", "Créteil", "ile-de-france", "ac-creteil.fr", ""),
    ("25", "Versailles", "ile-de-france", "ac-versailles.fr", ""),
    ("27", "Corse", "corse", "ac-corse.fr", ""),
    ("28", "La Réunion", "la-reunion", "ac-reunion.fr", ""),
    ("31", "Martinique", "martinique", "ac-martinique.fr", ""),
    ("32", "Guadeloupe", "guadeloupe", "ac-guadeloupe.fr", ""),
    ("33", "Guyane", "guyane", "ac-guyane.fr", ""),
    ("43", "Mayotte", "mayotte", "ac-mayotte.fr", ""),
    ("70", "Normandie", "normandie", "ac-normandie.fr", "ac-caen.fr ac-rouen.fr"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("lms", "RegionAcademique")
    Academie = apps.get_model("lms", "Academie")
    regions = {}
    for code, name in REGIONS.items():
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, region, domain, legacy in ACADEMIES:
        Academie.objects.update_or_create(
            code=code,
            defaults={"name": name, "region": regions[region], "email_domain": domain, "legacy_email_domains": legacy},
        )


class Migration(migrations.Migration):
    dependencies = [("lms", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
