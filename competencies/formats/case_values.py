"""Reading a CASE package's JSON: each value checked, every problem appended to the caller's list (so that one
import lists them all)."""

from __future__ import annotations

import json
import re
import uuid

from django.utils.translation import gettext as _

from . import FormatError, problem

CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID_IN_URI = re.compile(r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")
MAX_TEXT = 20000


def read_language(value, override: str | None) -> str:
    if override:
        return override
    text = (value or "").strip().lower().replace("_", "-").split("-")[0] if isinstance(value, str) else ""
    return text if text in ("fr", "en") else "fr"


def read_uuid(value, where: str, field_name: str, errors: list[str], *, uri=None) -> str | None:
    if (value is None or value == "") and isinstance(uri, str):
        match = UUID_IN_URI.search(uri.strip())  # CASE 1.0 files sometimes give only the URI
        if match:
            value = match.group(1)
    if value is None or value == "":
        errors.append(problem(where, field_name, _("required")))
        return None
    if isinstance(value, str) and CANONICAL_UUID.fullmatch(value):
        return value  # fast path: already the canonical form
    try:
        return str(uuid.UUID(str(value).strip()))
    except (ValueError, AttributeError, TypeError):
        errors.append(problem(where, field_name, _("“%(value)s” is not a UUID") % {"value": str(value)[:60]}))
        return None


def read_text(obj: dict, key: str, where: str, errors: list[str], *, required=False, max_length=MAX_TEXT) -> str:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(problem(where, key, _("required")))
        return ""
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            errors.append(problem(where, key, _("expected text")))
            return ""
    value = value.strip()
    if not is_clean(value):
        errors.append(problem(where, key, _("contains a NUL character or invalid Unicode")))
        return ""
    if len(value) > max_length:
        errors.append(problem(where, key, _("longer than %(max)d characters") % {"max": max_length}))
        return ""
    return value


def is_clean(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates ("\ud800" in the JSON)
        return False
    return True


def read_node_ref(assoc: dict, key: str, where: str, errors: list[str]) -> str | None:
    ref = assoc.get(key)
    if not isinstance(ref, dict):
        errors.append(problem(where, key, _("required (an object with identifier and uri)")))
        return None
    return read_uuid(ref.get("identifier"), where, f"{key}.identifier", errors, uri=ref.get("uri"))


def load_json(data: bytes):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            _("The file is not UTF-8 text (byte %(pos)d): CASE files are UTF-8 JSON.") % {"pos": exc.start}
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            _("Broken JSON at line %(line)d, column %(col)d: %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None
    except RecursionError:
        raise FormatError(_("The JSON is nested too deeply.")) from None


def read_sequence(raw: dict, where: str, errors: list[str], warnings: list[str]) -> int | None:
    """CASE says integer; OpenSALT and others sometimes write "2": accepted, with a warning."""
    seq = raw.get("sequenceNumber")
    if seq is None or seq == "":
        return None
    if isinstance(seq, str) and seq.strip().lstrip("+").isdigit():
        warnings.append(
            problem(
                where,
                "sequenceNumber",
                _("“%(value)s” is text: read as the whole number %(number)d")
                % {"value": seq[:20], "number": int(seq.strip())},
            )
        )
        seq = int(seq.strip())
    elif isinstance(seq, float) and seq.is_integer():
        warnings.append(
            problem(
                where,
                "sequenceNumber",
                _("“%(value)s” is not a whole number: read as %(number)d") % {"value": seq, "number": int(seq)},
            )
        )
        seq = int(seq)
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**31:
        errors.append(problem(where, "sequenceNumber", _("expected a whole number")))
        return None
    return seq
