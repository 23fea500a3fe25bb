"""French is complete: every message of the app is translated, and the compiled catalogue matches the .po."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "assessments" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _msgids(text: str) -> set[str]:
    ids = set()
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            ids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    return ids - {""}


def test_every_message_is_translated_and_compiled():
    if shutil.which("msgattrib") is None:
        pytest.fail("gettext tools are needed (apt-get install gettext)")
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(PO)], capture_output=True, text=True, check=True
    ).stdout
    assert _msgids(untranslated) == set()
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", str(PO)], capture_output=True, text=True, check=True).stdout
    assert _msgids(fuzzy) == set()
    with PO.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    compiled = {k if isinstance(k, str) else k[0] for k in catalogue._catalog} - {""}
    assert {i.replace('\\"', '"') for i in _msgids(PO.read_text(encoding="utf-8"))} == compiled
