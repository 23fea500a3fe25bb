"""The UNESCO AI Competency Framework for Teachers (2024), in French and English.

Tree shape: the 5 aspects are top-level items (type "aspect", codes 1-5); each has its 3 competencies as children
(type "competency", codes "aspect.level", levels 1 Acquire, 2 Deepen, 3 Create). Descriptions are written in our own
words from the framework's published summary; labels follow UNESCO's English summary table (2024, ISBN
978-92-3-100707-1): aspect 5 "AI for professional learning" (chapters also say "...professional development"), 4.3
"AI-enhanced pedagogical transformation" (some transcriptions read "...innovation"), 5.1 "AI enabling lifelong
professional learning". Identifiers are uuid5 of the framework's identifier and the code, hence stable.
"""

import datetime as dt
import uuid

from django.db import migrations

NAMESPACE = uuid.UUID("6f1c3f0e-4a63-5b8e-9a57-3c1a8f6e2b10")  # competencies.models.COMPETENCIES_NAMESPACE
CODE = "unesco-aicft-2024"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHANGED = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)

FRAMEWORK = {
    "code": CODE,
    "title_fr": "Référentiel de compétences en IA pour les enseignants (UNESCO, 2024)",
    "title_en": "AI Competency Framework for Teachers (UNESCO, 2024)",
    "description_fr": (
        "Ce que les enseignants doivent savoir et savoir faire face à l'intelligence artificielle : cinq aspects, "
        "chacun décliné en trois niveaux de progression (acquérir, approfondir, créer), soit quinze compétences. "
        "Textes reformulés d'après le référentiel de l'UNESCO."
    ),
    "description_en": (
        "What teachers need to know and be able to do about artificial intelligence: five aspects, each across three "
        "progression levels (acquire, deepen, create), fifteen competencies in all. Texts rephrased from UNESCO's "
        "framework."
    ),
    "creator": "UNESCO",
    "publisher": "UNESCO",
    "edition": "2024",
    "source_url": "https://doi.org/10.54675/ZJTE2084",
    "licence": "CC BY-SA 3.0 IGO",
    "licence_uri": "https://creativecommons.org/licenses/by-sa/3.0/igo/",
    "adoption_status": "Adopted",
    "notes": (
        "Derived from: UNESCO, AI competency framework for teachers, Paris, 2024. ISBN 978-92-3-100707-1, "
        "DOI 10.54675/ZJTE2084, CC BY-SA 3.0 IGO. French edition: Référentiel de compétences en IA pour les "
        "enseignants (2025). Descriptions rephrased by the platform's team; this adaptation is shared under the same "
        "licence. Labels follow UNESCO's English summary table (aspect 5 'AI for professional learning', 4.3 "
        "'...pedagogical transformation', 5.1 'AI enabling lifelong professional learning')."
    ),
}

ASPECTS = [
    ("1", "État d'esprit centré sur l'humain", "Human-centred mindset",
     "Placer l'humain au centre : l'enseignant garde la maîtrise, la responsabilité et le souci de la société face à l'IA.",
     "Keep people at the centre: teachers stay in control, accountable and mindful of society when AI is involved."),
    ("2", "Éthique de l'IA", "Ethics of AI",
     "Comprendre et appliquer les principes éthiques, le droit et les règles d'usage de l'IA à l'école.",
     "Understand and apply ethical principles, the law and rules for using AI in school."),
    ("3", "Fondements et applications de l'IA", "AI foundations and applications",
     "Savoir ce qu'est l'IA, comment elle fonctionne et comment se servir des outils, jusqu'à les adapter.",
     "Know what AI is, how it works and how to use tools, up to adapting them."),
    ("4", "Pédagogie de l'IA", "AI pedagogy",
     "Intégrer l'IA dans la préparation, l'enseignement et l'évaluation quand elle apporte une plus-value.",
     "Bring AI into planning, teaching and assessment where it adds value."),
    ("5", "L'IA pour l'apprentissage professionnel", "AI for professional learning",
     "Se servir de l'IA pour sa propre formation continue et celle de son équipe.",
     "Use AI for one's own continuing professional learning and that of one's team."),
]

COMPETENCIES = [
    ("1.1", "Agentivité humaine", "Human agency",
     "Comprendre que l'IA est conçue et pilotée par des humains, garder la décision et se prémunir contre une dépendance excessive aux outils.",
     "Understand that AI is designed and steered by people, keep the final say and guard against relying on tools too much."),
    ("1.2", "Responsabilité humaine", "Human accountability",
     "Assumer la responsabilité des décisions prises avec l'aide de l'IA et savoir en rendre compte.",
     "Take responsibility for decisions made with the help of AI and be able to account for them."),
    ("1.3", "Responsabilité sociale", "Social responsibility",
     "Contribuer à une société de l'IA inclusive et durable, y compris par sa participation aux politiques qui l'encadrent.",
     "Help build an inclusive, sustainable society with AI, including by taking part in the policies that frame it."),
    ("2.1", "Principes éthiques", "Ethical principles",
     "Connaître les grands principes (ne pas nuire, proportionnalité, non-discrimination, durabilité, transparence) et les débats qu'ils soulèvent.",
     "Know the main principles (do no harm, proportionality, non-discrimination, sustainability, transparency) and the debates around them."),
    ("2.2", "Utilisation sûre et responsable", "Safe and responsible use",
     "Protéger ses données et celles des élèves, respecter la vie privée, la propriété intellectuelle et le cadre juridique.",
     "Protect one's own and students' data, respect privacy, intellectual property and the legal framework."),
    ("2.3", "Co-construction de règles éthiques", "Co-creating ethical rules",
     "Animer la réflexion sur les effets éthiques, sociaux et environnementaux de l'IA et élaborer des règles communes.",
     "Lead discussion of AI's ethical, social and environmental effects and draw up shared rules."),
    ("3.1", "Techniques et applications de base de l'IA", "Basic AI techniques and applications",
     "Savoir ce que l'IA est et n'est pas, comment les modèles sont entraînés et juger de la fiabilité d'un outil.",
     "Know what AI is and is not, how models are trained, and judge how reliable a tool is."),
    ("3.2", "Compétences d'application", "Application skills",
     "Utiliser les outils d'IA courants avec discernement, en tenant compte des données et des biais.",
     "Operate common AI tools with judgement, minding data and bias."),
    ("3.3", "Créer avec l'IA", "Creating with AI",
     "Adapter ou paramétrer des outils, de préférence libres, pour des apprentissages inclusifs.",
     "Adapt or configure tools, preferably open-source ones, for inclusive learning."),
    ("4.1", "Enseignement assisté par l'IA", "AI-assisted teaching",
     "Utiliser l'IA pour préparer, enseigner et évaluer en limitant les risques, et savoir quand s'en passer.",
     "Use AI to plan, teach and assess while limiting the risks, and know when not to use it."),
    ("4.2", "Intégration de l'IA dans la pédagogie", "AI-pedagogy integration",
     "Intégrer l'IA dans une pédagogie centrée sur l'élève : différenciation, évaluation formative.",
     "Build AI into learner-centred teaching: differentiation, formative assessment."),
    ("4.3", "Transformation pédagogique enrichie par l'IA", "AI-enhanced pedagogical transformation",
     "Concevoir des scénarios d'apprentissage riches en IA et en mesurer les effets.",
     "Design AI-rich learning scenarios and measure their effects."),
    ("5.1", "L'IA au service de l'apprentissage professionnel tout au long de la vie", "AI enabling lifelong professional learning",
     "Se servir de l'IA pour s'auto-évaluer et construire son parcours de formation.",
     "Use AI to assess oneself and shape one's professional learning path."),
    ("5.2", "L'IA pour renforcer l'apprentissage organisationnel", "AI to enhance organizational learning",
     "Mobiliser l'IA dans les communautés d'apprentissage professionnelles.",
     "Use AI within professional learning communities."),
    ("5.3", "L'IA au service de la transformation professionnelle", "AI to support professional transformation",
     "Conduire le changement dans son établissement et co-créer des outils avec ses pairs.",
     "Drive change in one's organisation and co-create tools with peers."),
]  # fmt: skip

LEVELS = {"1": "acquire", "2": "deepen", "3": "create"}


def step(n):
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(4, "0")


def load(apps, schema_editor):
    Framework = apps.get_model("competencies", "Framework")
    Item = apps.get_model("competencies", "CompetencyItem")
    if Framework.objects.filter(code=CODE).exists():
        return
    fw_id = uuid.uuid5(NAMESPACE, f"framework:{CODE}")
    framework = Framework.objects.create(identifier=fw_id, last_change_date_time=CHANGED, subjects=["IA", "AI"], **FRAMEWORK)
    last = Item.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    start = int(last, 36) if last else 0
    rows = []
    for index, (code, label_fr, label_en, statement_fr, statement_en) in enumerate(ASPECTS, start=1):
        root = step(start + index)
        rows.append(Item(framework=framework, path=root, depth=1, numchild=3, code=code, item_type="aspect",
                         label_fr=label_fr, label_en=label_en, statement_fr=statement_fr, statement_en=statement_en,
                         identifier=uuid.uuid5(fw_id, code), last_change_date_time=CHANGED))  # fmt: skip
        for child in (c for c in COMPETENCIES if c[0].split(".")[0] == code):
            level = child[0].split(".")[1]
            rows.append(Item(framework=framework, path=root + step(int(level)), depth=2, numchild=0, code=child[0],
                             item_type="competency", label_fr=child[1], label_en=child[2], statement_fr=child[3],
                             statement_en=child[4], identifier=uuid.uuid5(fw_id, child[0]),
                             last_change_date_time=CHANGED, extra={"level": LEVELS[level]}))  # fmt: skip
    Item.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("competencies", "Framework").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
