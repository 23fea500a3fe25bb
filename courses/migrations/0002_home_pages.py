"""Replace Wagtail's default welcome page with a French home page and its English translation."""

import uuid

from django.db import migrations

FR_INTRO = (
    "<p>Une formation ouverte, gratuite et à votre rythme pour les enseignants et les formateurs : "
    "comprendre l'intelligence artificielle générative, l'utiliser avec discernement en classe, "
    "et protéger les données des élèves.</p>"
)
EN_INTRO = (
    "<p>Open, free, self-paced training for teachers and trainers: understand generative artificial "
    "intelligence, use it with judgement in the classroom, and protect pupils' data.</p>"
)


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("courses", "HomePage")

    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="courses")
    key = uuid.uuid4()
    common = {"content_type": content_type, "depth": 2, "numchild": 0, "translation_key": key, "live": True}
    home_fr = HomePage.objects.create(
        title="L'IA générative en éducation : se former", draft_title="L'IA générative en éducation : se former",
        slug="accueil", url_path="/accueil/", path="00010001", locale=fr, intro=FR_INTRO, **common,
    )
    HomePage.objects.create(
        title="Generative AI in education: training", draft_title="Generative AI in education: training",
        slug="home", url_path="/home/", path="00010002", locale=en, intro=EN_INTRO, **common,
    )
    Page.objects.filter(depth=1).update(numchild=2)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home_fr, is_default_site=True, site_name="IA & enseignement")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_home_pages, migrations.RunPython.noop)]
