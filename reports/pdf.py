"""The attestation as a PDF (ReportLab): what the attestation record says, nothing more."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from lms.templatetags.lms_tags import long_date


def attestation_pdf(attestation, *, language: str | None = None, verify_url: str = "") -> bytes:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    buffer = io.BytesIO()
    with translation.override(language):
        title = _("Training attestation")
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2.5 * cm,
            rightMargin=2.5 * cm,
            topMargin=2.5 * cm,
            bottomMargin=2.5 * cm,
            title=title,
            author=_("AI & teaching"),
            lang=language,
        )
        styles = getSampleStyleSheet()
        blue = colors.HexColor("#000091")
        h1 = ParagraphStyle("h1", parent=styles["Title"], textColor=blue)
        body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=11, leading=15)
        small = ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#3a3a3a"))
        estimated = attestation.estimated_hours
        whole = estimated == int(estimated)
        hours = formats.number_format(estimated, decimal_pos=0 if whole else 1)  # "6 heures", "1,5 heure"
        completed = long_date(attestation.completed_on)  # "1er décembre 2026"
        story = [
            Paragraph(escape(title), h1),
            Spacer(1, 0.6 * cm),
            Paragraph(
                escape(
                    _("This attests that %(name)s completed the training “%(course)s” on %(date)s.")
                    % {
                        "name": attestation.learner_name,
                        "course": attestation.course_title(language),
                        "date": completed,
                    }
                ),
                body,
            ),
            Spacer(1, 0.3 * cm),
            Paragraph(
                escape(
                    ngettext(
                        "Estimated duration: %(hours)s hour.",
                        "Estimated duration: %(hours)s hours.",
                        1 if estimated <= 1 else 2,
                    )
                    % {"hours": hours}
                ),
                body,
            ),
        ]
        labels = attestation.competency_labels(language)
        if labels:
            story += [
                Spacer(1, 0.3 * cm),
                Paragraph(escape(_("Competencies developed:")), body),
                ListFlowable(
                    [ListItem(Paragraph(escape(label), body)) for label in labels],
                    bulletType="bullet",
                    start="•",
                    leftIndent=12,
                ),
            ]
        story += [
            Spacer(1, 1 * cm),
            Paragraph(escape(_("Verification code: %(code)s") % {"code": attestation.code}), body),
            Paragraph(
                escape(_("Anyone can check this attestation at %(url)s with this code.") % {"url": verify_url}),
                small,
            ),
            Spacer(1, 0.5 * cm),
            Paragraph(
                escape(
                    _(
                        "This attestation records a completed training, kept as good practice (for instance as "
                        "evidence of AI-literacy measures under Article 4 of the EU AI Act where it applies). "
                        "It is not a diploma or a legal certificate."
                    )
                ),
                small,
            ),
        ]
        doc.build(story)
    return buffer.getvalue()
