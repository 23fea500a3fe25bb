"""Moodle's competency framework CSV (admin tool ``tool_lpimportcsv``).

Fourteen columns read **by position** (the header's text depends on Moodle's language and version):
parent id number, id number, short name, description, description format, scale values, scale configuration,
rule type, rule outcome, rule config, cross-referenced id numbers, exported id, is framework, taxonomy.
Moodle's multilang spans (``<span lang="fr" class="multilang">…</span>``) map to our two languages.
Files saved by a French spreadsheet (semicolon separator, Windows-1252, UTF-8 with a BOM) are read too.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict

from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import AssociationData, FormatError, FrameworkData, ItemData, problem

NAME = "moodle-csv"
CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
COLUMNS = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
COLUMNS_FR = [
    "Numéro d'identification parent",
    "Numéro d'identification",
    "Nom abrégé",
    "Description",
    "Format de description",
    "Valeurs du barème",
    "Configuration du barème",
    "Type de règle (facultatif)",
    "Résultat de la règle (facultatif)",
    "Configuration de la règle (facultatif)",
    "Numéros d'identification des compétences liées",
    "ID exporté (facultatif)",
    "Est un référentiel",
    "Taxonomie",
]
(PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, FORMAT, SCALE_VALUES, SCALE_CONFIG, RULE_TYPE, RULE_OUTCOME, RULE_CONFIG,
 CROSSREF, EXPORTED_ID, IS_FRAMEWORK, TAXONOMY) = range(14)  # fmt: skip
MOODLE_TAXONOMIES = {
    "behaviour", "competency", "concept", "domain", "indicator", "level", "outcome", "practice", "proficiency", "skill",
    "value",
}  # fmt: skip
TO_MOODLE_TAXONOMY = {"aspect": "domain"}
FORMAT_HTML, FORMAT_PLAIN = "1", "2"
MAX_IDNUMBER, MAX_TEXT, MAX_FIELD = 100, 255, 100_000
MULTILANG = re.compile(
    r"<span\s+(?:lang=[\"']([\w-]+)[\"']\s+class=[\"']multilang[\"']|class=[\"']multilang[\"']\s+lang=[\"']([\w-]+)[\"'])\s*>(.*?)</span>",
    re.IGNORECASE | re.DOTALL,
)
MLANG2 = re.compile(r"\{mlang\s+([\w-]+)\}(.*?)\{mlang\}", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6])\s*>", re.IGNORECASE)


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(_("The file is in UTF-16: save it again as “CSV UTF-8” (or Windows-1252)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what a French spreadsheet writes as "CSV"
    except UnicodeDecodeError as exc:
        raise FormatError(
            _("The file is neither UTF-8 nor Windows-1252 text (byte %(pos)d): save it again as “CSV UTF-8”.")
            % {"pos": exc.start}
        ) from None


def sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    for delimiter, count in counts.items():
        if count == len(COLUMNS) - 1:
            return delimiter
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def html_to_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ")
    value = BREAK.sub("\n", value)
    value = html.unescape(TAG.sub("", value))
    return re.sub(r" *\n *", "\n", value).strip()


def text_to_html(value: str) -> str:
    return html.escape(value.replace("\r\n", "\n"), quote=False).replace("\n", "<br>")


def split_languages(value: str, *, is_html: bool, language: str) -> dict[str, str]:
    """{"fr": …, "en": …} from a Moodle field, using multilang spans when there are some."""
    found: dict[str, str] = {}
    matches = [(m.group(1) or m.group(2), m.group(3)) for m in MULTILANG.finditer(value)]
    matches += [(m.group(1), m.group(2)) for m in MLANG2.finditer(value)]
    if matches:
        for lang, text in matches:
            lang = lang.lower().split("-")[0].split("_")[0]
            if lang in ("fr", "en") and lang not in found:
                found[lang] = html_to_text(text)
        if not found:  # only other languages: keep the first as the import language
            found[language] = html_to_text(matches[0][1])
        return found
    return {language: html_to_text(value) if is_html else value.replace("\r\n", "\n").strip()}


def parse(data: bytes, *, language: str | None = None) -> list[FrameworkData]:
    language = language or "fr"
    text = decode(data)
    if "\x00" in text:
        raise FormatError(_("The file contains NUL characters: it is not a CSV text file."))
    delimiter = sniff_delimiter(text)
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    old_limit = csv.field_size_limit(MAX_FIELD)
    try:
        number = 0
        for number, row in enumerate(reader, start=1):  # noqa: B007
            rows.append((number, row))
    except csv.Error as exc:
        raise FormatError(
            _("Row %(row)d: broken CSV (%(msg)s). Check the quotes around that row.") % {"row": number + 1, "msg": exc}
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    if not rows:
        raise FormatError(_("The file is empty."))
    header_number, header = rows[0]
    if len(header) < len(COLUMNS):
        hint = (
            _(" The separator looks like “;”: this is handled, so the columns themselves are missing.")
            if delimiter == ";"
            else ""
        )
        raise FormatError(
            _(
                "Row 1: expected the %(n)d columns of a Moodle competency framework CSV, found %(found)d. "
                "Is this the right file and format?%(hint)s"
            )
            % {"n": len(COLUMNS), "found": len(header), "hint": hint}
        )
    errors: list[str] = []
    fw: FrameworkData | None = None
    items: dict[str, ItemData] = {}
    order: list[str] = []
    parent_of: dict[str, str] = {}
    crossrefs: list[tuple[str, list[str], str]] = []
    framework_rows: list[int] = []
    for number, row in rows[1:]:
        where = _("row %(n)d") % {"n": number}
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(COLUMNS):
            errors.append(
                problem(
                    where,
                    _("columns"),
                    _("expected %(n)d columns, found %(found)d") % {"n": len(COLUMNS), "found": len(row)},
                )
            )
            continue
        if any(cell.strip() for cell in row[len(COLUMNS) :]):
            errors.append(problem(where, _("columns"), _("more than %(n)d columns") % {"n": len(COLUMNS)}))
            continue
        row = row[: len(COLUMNS)]
        is_framework = row[IS_FRAMEWORK].strip()
        if is_framework not in ("", "0", "1"):
            errors.append(problem(where, COLUMNS[IS_FRAMEWORK], _("expected 0 or 1")))
            continue
        idnumber = row[IDNUMBER].strip()
        if not idnumber:
            errors.append(problem(where, COLUMNS[IDNUMBER], _("required")))
            continue
        if len(idnumber) > MAX_IDNUMBER:
            errors.append(
                problem(where, COLUMNS[IDNUMBER], _("longer than %(max)d characters") % {"max": MAX_IDNUMBER})
            )
            continue
        where = f"{where} “{idnumber}”"
        fmt = row[FORMAT].strip()
        if fmt not in ("", "0", "1", "2", "4"):
            errors.append(problem(where, COLUMNS[FORMAT], _("expected 0, 1, 2 or 4")))
        is_html = fmt in ("", "0", "1")
        names = split_languages(row[SHORTNAME], is_html=True, language=language)
        descriptions = split_languages(row[DESCRIPTION], is_html=is_html, language=language)
        if not any(names.values()):
            errors.append(problem(where, COLUMNS[SHORTNAME], _("required")))
        for value in names.values():
            if len(value) > MAX_TEXT:
                errors.append(
                    problem(where, COLUMNS[SHORTNAME], _("longer than %(max)d characters") % {"max": MAX_TEXT})
                )
        scale_config = row[SCALE_CONFIG].strip()
        if scale_config:
            try:
                json.loads(scale_config)
            except ValueError:
                errors.append(problem(where, COLUMNS[SCALE_CONFIG], _("not valid JSON")))
        moodle = {
            key: row[index].strip()
            for key, index in (
                ("scale_values", SCALE_VALUES),
                ("scale_configuration", SCALE_CONFIG),
                ("rule_type", RULE_TYPE),
                ("rule_outcome", RULE_OUTCOME),
                ("rule_config", RULE_CONFIG),
                ("exported_id", EXPORTED_ID),
            )
            if row[index].strip()
        }
        if is_framework == "1":
            framework_rows.append(number)
            code = slugify(idnumber)[:100]
            if not code:
                errors.append(problem(where, COLUMNS[IDNUMBER], _("needs letters or digits to make a code")))
            taxonomy = [t.strip().lower() for t in row[TAXONOMY].split(",") if t.strip()]
            if taxonomy:
                moodle["taxonomy"] = ",".join(taxonomy)
            if row[PARENT].strip():
                errors.append(problem(where, COLUMNS[PARENT], _("the framework row has no parent")))
            fw = FrameworkData(
                identifier="", code=code, titles=names, descriptions=descriptions, extra={"moodle": moodle}
            )
            continue
        if idnumber in items:
            errors.append(
                problem(
                    where,
                    COLUMNS[IDNUMBER],
                    _("duplicate id number (also %(other)s)") % {"other": items[idnumber].where},
                )
            )
            continue
        item = ItemData(
            identifier="",
            code=idnumber,
            labels=names,
            statements=descriptions,
            extra={"moodle": moodle} if moodle else {},
            where=where,
        )
        items[idnumber] = item
        order.append(idnumber)
        parent = row[PARENT].strip()
        if parent:
            parent_of[idnumber] = parent
        refs = [r.strip().replace("%2C", ",").replace("%2c", ",") for r in row[CROSSREF].split(",") if r.strip()]
        if refs:
            crossrefs.append((idnumber, refs, where))
    if not framework_rows:
        errors.append(_("No framework row: exactly one row must have “Is framework” (column 13) set to 1."))
    elif len(framework_rows) > 1:
        errors.append(
            _("Rows %(rows)s all say “Is framework” = 1: exactly one row may.")
            % {"rows": ", ".join(map(str, framework_rows))}
        )
    for idnumber, parent in parent_of.items():
        if parent not in items:
            errors.append(
                problem(items[idnumber].where, COLUMNS[PARENT], _("unknown parent “%(id)s”") % {"id": parent[:100]})
            )
    associations: list[AssociationData] = []
    for idnumber, refs, where in crossrefs:
        for ref in refs:
            if ref not in items:
                errors.append(problem(where, COLUMNS[CROSSREF], _("unknown competency “%(id)s”") % {"id": ref[:100]}))
            else:
                associations.append(
                    AssociationData(
                        identifier="", association_type="isRelatedTo", origin=idnumber, destination=ref, where=where
                    )
                )
    if errors or fw is None:
        raise FormatError(errors)
    # Depth-first order, parents before children, siblings in file order; items that never reach the top are in a cycle.
    children: dict[str | None, list[str]] = defaultdict(list)
    for idnumber in order:
        children[parent_of.get(idnumber)].append(idnumber)
    taxonomy = fw.extra["moodle"].get("taxonomy", "").split(",")
    result: list[ItemData] = []
    stack: list[tuple[str, int]] = [(i, 1) for i in reversed(children[None])]
    while stack:
        idnumber, depth = stack.pop()
        item = items[idnumber]
        item.parent = parent_of.get(idnumber)
        item.item_type = taxonomy[depth - 1] if depth <= len(taxonomy) and taxonomy[depth - 1] else "competency"
        result.append(item)
        stack.extend((child, depth + 1) for child in reversed(children[idnumber]))
    if len(result) != len(order):
        placed = {item.code for item in result}
        raise FormatError(
            [
                problem(items[i].where, COLUMNS[PARENT], _("the item is in a cycle of parents"))
                for i in order
                if i not in placed
            ]
        )
    fw.items = result
    fw.associations = associations
    return [fw]


def _multilang(texts: dict[str, str], language: str | None, *, as_html: bool, required: bool = False) -> str:
    if language:
        value = texts.get(language, "")
        if not value and required:  # Moodle needs a short name: the other language rather than nothing
            value = texts.get("en" if language == "fr" else "fr", "")
        return text_to_html(value) if as_html else value
    parts = [
        f'<span lang="{lang}" class="multilang">{text_to_html(texts[lang])}</span>'
        for lang in ("fr", "en")
        if texts.get(lang)
    ]
    return "".join(parts)


def dump(fw: FrameworkData, *, language: str | None = None) -> bytes:
    """Both languages in multilang spans, or one language (plain text) when ``language`` is given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS_FR if language == "fr" else COLUMNS)
    moodle = fw.extra.get("moodle", {})
    by_id = {item.identifier: item for item in fw.items}
    depth: dict[str, int] = {}
    types_at: dict[int, set[str]] = defaultdict(set)
    for item in fw.items:
        depth[item.identifier] = depth[item.parent] + 1 if item.parent else 1
        types_at[depth[item.identifier]].add(TO_MOODLE_TAXONOMY.get(item.item_type, item.item_type))
    taxonomy = [t for t in moodle.get("taxonomy", "").split(",") if t]
    for level in range(1, max(types_at, default=0) + 1):
        kinds = types_at[level]
        term = next(iter(kinds)) if len(kinds) == 1 and next(iter(kinds)) in MOODLE_TAXONOMIES else "competency"
        if level <= len(taxonomy):
            taxonomy[level - 1] = term
        else:
            taxonomy.append(term)
    as_html = language is None
    fmt = FORMAT_HTML if as_html else FORMAT_PLAIN
    writer.writerow(
        ["", fw.code, _multilang(fw.titles, language, as_html=True, required=True) or fw.code, _multilang(fw.descriptions, language, as_html=as_html), fmt,
         moodle.get("scale_values", ""), moodle.get("scale_configuration", ""), "", "", "", "", moodle.get("exported_id", ""),
         "1", ",".join(taxonomy)]
    )  # fmt: skip
    related: dict[str, list[str]] = defaultdict(list)
    for assoc in fw.associations:
        if assoc.association_type == "isRelatedTo" and assoc.origin in by_id and assoc.destination in by_id:
            related[assoc.origin].append(by_id[assoc.destination].code or by_id[assoc.destination].identifier)
    for item in fw.items:
        extra = item.extra.get("moodle", {})
        labels = item.labels if any(item.labels.values()) else {k: v[:MAX_IDNUMBER] for k, v in item.statements.items()}
        if not any(labels.values()):
            labels = {language or "fr": item.code or item.identifier}
        parent = by_id[item.parent] if item.parent else None
        writer.writerow(
            [parent.code or parent.identifier if parent else "", item.code or item.identifier,
             _multilang(labels, language, as_html=True, required=True), _multilang(item.statements, language, as_html=as_html), fmt,
             extra.get("scale_values", ""), extra.get("scale_configuration", ""), extra.get("rule_type", ""),
             extra.get("rule_outcome", ""), extra.get("rule_config", ""),
             ",".join(code.replace(",", "%2C") for code in related[item.identifier]), extra.get("exported_id", ""), "0", ""]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")
