"""privacy's own personal data: the archives built for "Download my data"."""

from pathlib import Path

from django.conf import settings

from lms.personal_data import ErasureStep, PersonalData, register

from .models import DataExport


def erase(user) -> dict[str, int]:
    for export in DataExport.objects.filter(user=user).exclude(file_name=""):
        (Path(settings.EXPORTS_DIR) / "privacy" / export.file_name).unlink(missing_ok=True)
    return {"privacy.DataExport": DataExport.objects.filter(user=user).delete()[0]}


register(PersonalData(app_label="privacy", tables=("privacy.DataExport",), erasure=[ErasureStep(80, erase)]))
