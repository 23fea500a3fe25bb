"""Competency frameworks as trees, bilingual on each node, and the evidence learners leave against their items.

Tree shape: the items of a framework are a treebeard materialised-path forest. The top-level items of a framework
(e.g. the five UNESCO aspects) are treebeard roots; their children (the 15 competencies) hang below them. Several
frameworks share the forest; a framework's items are always read with ``framework=…`` and ordered by ``path``,
which gives the depth-first order in which the tree is displayed and exported.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treebeard.mp_tree import MP_Node
from wagtail.models import DraftStateMixin, RevisionMixin

from .uris import api_url

# Namespace of every identifier minted here (uuid5). Never change it: identifiers must stay stable across exports.
COMPETENCIES_NAMESPACE = uuid.UUID("6f1c3f0e-4a63-5b8e-9a57-3c1a8f6e2b10")

LANGUAGE_CODES = ("fr", "en")


def pick_language(language: str | None = None) -> str:
    """The content language to show: the active (or given) language when it is ours, else French."""
    lang = (language or get_language() or "fr").split("-")[0].lower()
    return lang if lang in LANGUAGE_CODES else "fr"


def framework_identifier(code: str) -> uuid.UUID:
    return uuid.uuid5(COMPETENCIES_NAMESPACE, f"framework:{code}")


def item_identifier(framework_identifier: uuid.UUID | str, code: str) -> uuid.UUID:
    """Stable identifier of an item: uuid5 of its framework's identifier (as namespace) and its code."""
    return uuid.uuid5(uuid.UUID(str(framework_identifier)), code)


class ItemType(models.TextChoices):
    """Common kinds of node. The field is free text (CASE's CFItemType is free), these get a translated label."""

    ASPECT = "aspect", _("Aspect")
    DOMAIN = "domain", _("Domain")
    COMPETENCY = "competency", _("Competency")
    LEVEL = "level", _("Level")
    INDICATOR = "indicator", _("Indicator")
    SKILL = "skill", _("Skill")
    OUTCOME = "outcome", _("Outcome")


class Framework(models.Model):
    """A competency framework (a CASE CFDocument, a Moodle framework)."""

    code = models.SlugField(
        _("code"),
        max_length=100,
        unique=True,
        help_text=_("Short stable name used in addresses, e.g. unesco-aicft-2024."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # CASE CFDocument fields
    identifier = models.UUIDField(_("identifier"), unique=True, default=uuid.uuid4)
    uri = models.CharField(_("URI"), max_length=500, blank=True, help_text=_("Left empty, one is built from it."))
    creator = models.CharField(_("creator"), max_length=255, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    edition = models.CharField(_("edition"), max_length=100, blank=True, help_text=_("CASE 'version'."))
    source_url = models.URLField(_("official source URL"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    licence_uri = models.CharField(_("licence URI"), max_length=500, blank=True)
    adoption_status = models.CharField(_("adoption status"), max_length=50, blank=True)
    notes = models.TextField(_("notes (credits, sources)"), blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    last_change_date_time = models.DateTimeField(_("last change"), default=timezone.now)
    # Values of other formats kept for a faithful round trip (e.g. Moodle's scale and taxonomy).
    extra = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return self.title or self.code

    def get_absolute_url(self) -> str:
        return reverse("competencies:framework", kwargs={"code": self.code})

    @property
    def lastChangeDateTime(self):  # noqa: N802 - the CASE name, for callers who think in CASE
        return self.last_change_date_time

    def title_in(self, language: str | None = None) -> str:
        lang = pick_language(language)
        other = "en" if lang == "fr" else "fr"
        return getattr(self, f"title_{lang}") or getattr(self, f"title_{other}") or self.code

    @property
    def title(self) -> str:
        return self.title_in()

    @property
    def description(self) -> str:
        lang = pick_language()
        return getattr(self, f"description_{lang}") or getattr(self, f"description_{'en' if lang == 'fr' else 'fr'}")

    def get_uri(self) -> str:
        """The document's CASE URI: its own when imported with one, else its address in our CASE API."""
        return self.uri or api_url("CFDocuments", self.identifier)


class CompetencyItem(DraftStateMixin, RevisionMixin, MP_Node):
    """One node of a framework: aspect, competency, level, indicator… with its texts in French and English.

    The row is the published item, the one the public page, learners and exports see. An edit in the admin is a draft
    (a revision) until a national editor or a moderator publishes it; a new item is not live until then. The tree
    itself (parent, order) is not part of a revision: moves are made by national editors only and apply at once.
    """

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    code = models.CharField(
        _("code"),
        max_length=100,
        blank=True,
        help_text=_("Human coding scheme, e.g. 2.2. Unique in its framework."),
        validators=[RegexValidator(r"^[^\s]*(\s[^\s]+)*$", _("No leading, trailing or double spaces."))],
    )
    item_type = models.CharField(_("type"), max_length=100, blank=True, default=ItemType.COMPETENCY)
    label_fr = models.CharField(_("short label (French)"), max_length=255, blank=True)
    label_en = models.CharField(_("short label (English)"), max_length=255, blank=True)
    statement_fr = models.TextField(_("full statement (French)"), blank=True)
    statement_en = models.TextField(_("full statement (English)"), blank=True)
    identifier = models.UUIDField(_("identifier"), unique=True, default=uuid.uuid4)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    last_change_date_time = models.DateTimeField(_("last change"), default=timezone.now)
    extra = models.JSONField(default=dict, blank=True, editable=False)

    node_order_by: list[str] = []  # order is explicit (sequenceNumber), kept by the path

    class Meta:
        verbose_name = _("competency item")
        verbose_name_plural = _("competency items")
        permissions = [("publish_competencyitem", "Can publish competency item")]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], condition=~Q(code=""), name="competencies_item_code_unique"
            )
        ]
        indexes = [models.Index(fields=["framework", "path"], name="competencies_item_fw_path")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}".strip()

    def text_in(self, field: str, language: str | None = None) -> str:
        lang = pick_language(language)
        other = "en" if lang == "fr" else "fr"
        return getattr(self, f"{field}_{lang}") or getattr(self, f"{field}_{other}")

    @property
    def label(self) -> str:
        """Short label in the active language (falls back to the other language, then the statement)."""
        return self.text_in("label") or self.text_in("statement")

    @property
    def statement(self) -> str:
        return self.text_in("statement") or self.text_in("label")

    @property
    def item_type_label(self) -> str:
        try:
            return str(ItemType(self.item_type).label)
        except ValueError:
            return self.item_type

    def get_uri(self) -> str:
        return self.uri or api_url("CFItems", self.identifier)

    def with_content_json(self, content):
        """A revision carries the item's texts, never its place in the tree (moved since, maybe)."""
        obj = super().with_content_json(content)
        for name in ("path", "depth", "numchild", "framework_id", "identifier"):
            setattr(obj, name, getattr(self, name))
        return obj


class AssociationType(models.TextChoices):
    """CASE association types. The tree holds each item's first parent; ``isChildOf`` rows here are its other
    parents (CASE allows several): the item is shown and exported under each of them."""

    IS_CHILD_OF = "isChildOf", _("is child of")
    IS_PEER_OF = "isPeerOf", _("is peer of")
    IS_PART_OF = "isPartOf", _("is part of")
    EXACT_MATCH_OF = "exactMatchOf", _("exact match of")
    PRECEDES = "precedes", _("precedes")
    IS_RELATED_TO = "isRelatedTo", _("is related to")
    REPLACED_BY = "replacedBy", _("replaced by")
    EXEMPLAR = "exemplar", _("exemplar")
    HAS_SKILL_LEVEL = "hasSkillLevel", _("has skill level")
    IS_TRANSLATION_OF = "isTranslationOf", _("is translation of")


class ItemAssociation(models.Model):
    """A typed link from an item to another item, possibly in another framework (a crosswalk)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="associations")
    identifier = models.UUIDField(unique=True, default=uuid.uuid4)
    association_type = models.CharField(max_length=30, choices=AssociationType.choices)
    origin = models.ForeignKey(CompetencyItem, on_delete=models.CASCADE, related_name="outgoing_associations")
    destination = models.ForeignKey(CompetencyItem, on_delete=models.CASCADE, related_name="incoming_associations")
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    last_change_date_time = models.DateTimeField(default=timezone.now)
    notes = models.TextField(_("notes (source)"), blank=True, help_text=_("E.g. the public source of a crosswalk."))
    extra = models.JSONField(default=dict, blank=True, editable=False)  # other CASE fields, written back as they came

    class Meta:
        ordering = ["origin__path", "sequence_number", "identifier"]
        verbose_name = _("association between items")
        verbose_name_plural = _("associations between items")

    def __str__(self) -> str:
        return f"{self.origin_id} {self.association_type} {self.destination_id}"


class PendingAssociation(models.Model):
    """A link imported before its destination: kept, exported as it came, and turned into an ``ItemAssociation``
    as soon as a framework holding the destination item is imported (frameworks that refer to each other)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pending_associations")
    identifier = models.UUIDField(unique=True)
    association_type = models.CharField(max_length=30, choices=AssociationType.choices)
    origin = models.ForeignKey(CompetencyItem, on_delete=models.CASCADE, related_name="pending_associations")
    destination_identifier = models.UUIDField(db_index=True)
    destination_title = models.CharField(max_length=255, blank=True)
    destination_uri = models.CharField(max_length=500, blank=True)
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    last_change_date_time = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("pending association")
        verbose_name_plural = _("pending associations")

    def __str__(self) -> str:
        return f"{self.origin_id} {self.association_type} {self.destination_identifier} (pending)"


class EvidenceKind(models.TextChoices):
    ANSWER = "answer", _("Answer to a question")
    POSITIONING = "positioning", _("Answer to a positioning quiz (never counts towards “secured”)")
    ACTIVITY = "activity", _("Completed activity")
    ASSESSMENT = "assessment", _("Assessment by a trainer")


class Evidence(models.Model):
    """A learner showed (or failed to show) something about an item, in an activity.

    Personal data kept to the minimum: the learner, the item, opaque keys of the activity, the outcome and the date.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="competency_evidence",
        verbose_name=_("learner"),
    )
    # PROTECT: an item learners have evidence on cannot be deleted (competencies.tree.delete_item says so).
    item = models.ForeignKey(CompetencyItem, on_delete=models.PROTECT, related_name="evidence")
    source_key = models.CharField(max_length=255, help_text=_("Opaque stable key of the activity (e.g. a quiz)."))
    attempt_key = models.CharField(max_length=255, blank=True)
    question_key = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.ANSWER)
    correct = models.BooleanField(null=True)
    score = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("competency evidence")
        verbose_name_plural = _("competency evidence")
        indexes = [models.Index(fields=["user", "item"], name="competencies_evidence_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "source_key", "attempt_key", "question_key", "kind"],
                name="competencies_evidence_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.item_id} {self.source_key}"
