"""UAI (Unité administrative immatriculée) codes: 7 characters then a check letter.

The letter is the 7-character number modulo 23 mapped onto ABCDEFGHJKLMNPRSTUVWXYZ (no I, O, Q).
Corsica uses 620 (2A) and 720 (2B) as prefixes, so the first three characters are digits in every case.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_RE = re.compile(r"^\d{7}[A-Z]$")


def uai_check_letter(number: str) -> str:
    return UAI_LETTERS[int(number) % 23]


def normalise_uai(value: str) -> str:
    return (value or "").strip().upper()


def validate_uai(value: str) -> None:
    uai = normalise_uai(value)
    if len(uai) != 8:
        raise ValidationError(
            _("A UAI code has 8 characters (7 digits and a letter); “%(value)s” has %(n)d."),
            code="uai_length",
            params={"value": value, "n": len(uai)},
        )
    if not _UAI_RE.match(uai):
        raise ValidationError(
            _("A UAI code is 7 digits followed by a letter, for example 0750655E; “%(value)s” is not."),
            code="uai_format",
            params={"value": value},
        )
    expected = uai_check_letter(uai[:7])
    if uai[7] != expected:
        raise ValidationError(
            _("The check letter of “%(value)s” is wrong: for %(number)s it should be %(expected)s."),
            code="uai_check_letter",
            params={"value": value, "number": uai[:7], "expected": expected},
        )
