"""Demo organisation and accounts (development only). Other apps add their own `demo.py` with a `load()`."""

from django.contrib.auth.models import Group
from django.utils import timezone

from .models import Academie, Establishment, User
from .roles import ACADEMY_MANAGERS, COORDINATORS, MODERATORS, NATIONAL_ADMINS, NATIONAL_EDITORS, TEACHERS, TRAINERS
from .uai import uai_check_letter

# (académie code, 7-digit UAI number, name, kind, commune, postcode, priority education)
DEMO_ESTABLISHMENTS = [
    ("16", "0310901", "Collège des Coteaux (démo)", "Collège", "Saint-Gaudens", "31800", ""),
    ("16", "0310902", "Lycée Pierre-Paul Riquet (démo)", "Lycée", "Toulouse", "31000", ""),
    ("16", "0090903", "École primaire du Couserans (démo)", "Ecole", "Saint-Girons", "09200", "REP"),
    ("11", "0340904", "Collège de la Garrigue (démo)", "Collège", "Lodève", "34700", "REP+"),
    ("11", "0480905", "Lycée des Causses (démo)", "Lycée", "Mende", "48000", ""),
    ("17", "0440906", "Collège de l'Erdre (démo)", "Collège", "Nort-sur-Erdre", "44390", ""),
    ("17", "0850907", "Lycée du Bocage (démo)", "Lycée", "La Roche-sur-Yon", "85000", ""),
]

ACADEMY_DOMAINS = {"16": "ac-toulouse.fr", "11": "ac-montpellier.fr", "17": "ac-nantes.fr"}

# email, password, role, académie code, first name, last name, superuser
DEMO_ACCOUNTS = [
    ("admin@formation-ia.example", "Demo-Admin-2026", NATIONAL_ADMINS, None, "Alex", "Admin", True),
    ("edition.demo@formation-ia.example", "Demo-Edition-2026", NATIONAL_EDITORS, None, "Noa", "Édition", False),
    ("moderation.demo@formation-ia.example", "Demo-Moderation-2026", MODERATORS, None, "Lou", "Relecture", False),
]
for code, domain in ACADEMY_DOMAINS.items():
    DEMO_ACCOUNTS += [
        (f"enseignant.demo@{domain}", "Demo-Enseignant-2026", TEACHERS, code, "Camille", "Enseignant", False),
        (
            f"coordination.demo@{domain}",
            "Demo-Coordination-2026",
            COORDINATORS,
            code,
            "Dominique",
            "Coordination",
            False,
        ),
        (f"gestion.demo@{domain}", "Demo-Gestion-2026", ACADEMY_MANAGERS, code, "Sacha", "Gestion", False),
    ]
# The trainer of the demo training session (cohorts.demo).
DEMO_ACCOUNTS.append(
    ("formation.demo@ac-toulouse.fr", "Demo-Formation-2026", TRAINERS, "16", "Claude", "Formation", False)
)


def load() -> list[tuple[str, str, str]]:
    academies = {a.code: a for a in Academie.objects.filter(code__in=ACADEMY_DOMAINS)}
    first_establishment = {}
    for code, number, name, kind, commune, postcode, rep in DEMO_ESTABLISHMENTS:
        est, _ = Establishment.objects.update_or_create(
            uai=number + uai_check_letter(number),
            defaults={
                "name": name,
                "academie": academies[code],
                "kind": kind,
                "sector": "Public",
                "commune": commune,
                "postcode": postcode,
                "priority_education": rep,
            },
        )
        first_establishment.setdefault(code, est)
    printed = []
    for email, password, role, code, first, last, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.first_name, user.last_name = first, last
        user.is_superuser = user.is_staff = superuser
        user.is_active = True
        if code:
            user.academie = academies[code]
            user.academie_source = User.AcademieSource.EMAIL
            user.establishment = first_establishment[code] if role == TEACHERS else None
        user.set_password(password)
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        printed.append((role, email, password))
    return printed
