"""reports' personal data: attestations (the name as printed) and the exports a manager requested."""

from django.utils import formats

from lms.personal_data import ErasureStep, PersonalData, Titles, human_date, register

from .models import Attestation, ExportJob


def readable_attestations(user, *, language: str):
    attestations = list(Attestation.objects.filter(enrolment__user=user).order_by("issued_at"))

    def build(titles: Titles) -> list[dict]:
        return [
            {
                "course": a.course_title_en if language == "en" and a.course_title_en else a.course_title_fr,
                "completed": human_date(a.completed_on),
                "hours": formats.number_format(a.estimated_hours, 1),
                "code": a.code,
                "issued": human_date(a.issued_at),
            }
            for a in attestations
        ]

    return set(), build


def erase(user) -> dict[str, int]:
    # Attestations stay verifiable, without naming anyone.
    return {
        "reports.Attestation (name removed)": Attestation.objects.filter(enrolment__user=user).update(learner_name=""),
        "reports.ExportJob": ExportJob.objects.filter(user=user).delete()[0],
    }


register(
    PersonalData(
        app_label="reports",
        tables=("reports.Attestation", "reports.ExportJob"),
        readable={"attestations": readable_attestations},
        erasure=[ErasureStep(40, erase)],
    )
)
