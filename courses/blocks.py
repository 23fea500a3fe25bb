"""The one shared StreamField block set for lessons (as bakerydemo's BaseStreamBlock)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

INLINE = ["bold", "italic", "link", "ol", "ul"]
RICH = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("key_idea", _("Key idea")),
            ("warning", _("Warning")),
            ("data_protection", _("Data-protection note")),
        ],
        default="key_idea",
        label=_("kind"),
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=INLINE)

    def get_context(self, value, parent_context=None):
        """The heading shows the kind once: a title starting with the kind's label ("Idée clé : …") loses it."""
        context = super().get_context(value, parent_context=parent_context)
        label = str(dict(self.child_blocks["kind"].field.choices).get(value.get("kind"), ""))
        title = (value.get("title") or "").strip()
        if label and title.casefold().startswith(label.casefold()):
            title = title[len(label) :].lstrip(" \u00a0\u202f:–—-").strip()
            title = title[:1].upper() + title[1:]
        context["kind_label"] = label
        context["heading_title"] = title
        return context

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        label = _("Callout")
        description = _("A highlighted key idea, warning or data-protection note.")
        preview_value = {
            "kind": "data_protection",
            "title": "Données des élèves",
            "text": "<p>Ne saisissez jamais le nom d'un élève.</p>",
        }


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    situation = blocks.RichTextBlock(label=_("situation"), features=INLINE)
    questions = blocks.RichTextBlock(label=_("questions"), features=INLINE)
    discussion = blocks.RichTextBlock(label=_("discussion"), features=INLINE, required=False)

    class Meta:
        icon = "group"
        template = "blocks/case_study.html"
        label = _("Case study")
        description = _("A classroom situation, questions to think about, and a discussion.")
        preview_value = {
            "title": "Un devoir maison rédigé par une IA ?",
            "situation": "<p>Dans un collège rural, une professeure de français reçoit des rédactions très semblables.</p>",
            "questions": "<ol><li>Que faire ?</li></ol>",
            "discussion": "<p>Dialoguer avant de sanctionner.</p>",
        }


class PromptExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    task = blocks.RichTextBlock(label=_("what to try"), features=INLINE)
    observe = blocks.RichTextBlock(label=_("what to observe"), features=INLINE)
    reminder = blocks.RichTextBlock(
        label=_("additional reminder"),
        features=INLINE,
        required=False,
        help_text=_(
            "The shared data-protection reminder is always shown under the exercise; add here only what this "
            "exercise needs on top of it."
        ),
    )

    class Meta:
        icon = "code"
        template = "blocks/prompt_exercise.html"
        label = _("Prompt exercise")
        description = _("Something to try with a generative AI tool, what to observe, and a data-protection reminder.")
        preview_value = {
            "title": "Comparer deux formulations",
            "task": "<p>Demandez un plan de séance, puis précisez le niveau.</p>",
            "observe": "<p>Qu'est-ce qui change ?</p>",
            "reminder": "",
        }


class ClassroomSheetBlock(blocks.StructBlock):
    """A one-page sheet for the classroom, printable on its own (courses.sheets)."""

    title = blocks.CharBlock(label=_("title"))
    audience = blocks.CharBlock(label=_("level and subject"), help_text=_("For example: Cycle 4 (4ᵉ) — lettres"))
    duration = blocks.CharBlock(label=_("duration"), required=False)
    objective = blocks.RichTextBlock(label=_("objective"), features=INLINE)
    steps = blocks.RichTextBlock(label=_("steps"), features=INLINE)
    prompts = blocks.RichTextBlock(label=_("prompts to try"), features=INLINE, required=False)
    watch_out = blocks.RichTextBlock(label=_("watch out"), features=INLINE, required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/classroom_sheet.html"
        label = _("Classroom sheet")
        description = _("A one-page sheet for the classroom that learners can print on its own.")
        preview_value = {
            "title": "Vérifier une réponse d'IA",
            "audience": "Cycle 4 (4ᵉ) — histoire-géographie",
            "duration": "55 min",
            "objective": "<p>Confronter une réponse générée à deux sources.</p>",
            "steps": "<ol><li>Lire la réponse.</li><li>Chercher deux sources.</li></ol>",
            "prompts": "",
            "watch_out": "",
        }


class VideoBlock(blocks.StructBlock):
    """A video served from the platform itself (no third-party embed), with its transcript."""

    video = DocumentChooserBlock(label=_("video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("captions (WebVTT)"), required=False)
    title = blocks.CharBlock(label=_("title"))
    transcript = blocks.RichTextBlock(label=_("transcript"), features=INLINE)

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")
        description = _("A local video file with its transcript (required).")

    def clean(self, value):
        value = super().clean(value)
        name = (value["video"].file.name if value.get("video") else "").lower()
        if name and not name.endswith((".mp4", ".webm")):
            raise blocks.StructBlockValidationError({"video": ValidationError(_("Choose an MP4 or WebM file."))})
        return value


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "download"
        template = "blocks/download.html"
        label = _("Downloadable document")
        description = _("A document to download, with its format and size.")


class ReferenceBlock(blocks.StructBlock):
    source = blocks.CharBlock(label=_("source"))
    date = blocks.CharBlock(label=_("date of the text"), max_length=10, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    url = blocks.URLBlock(label=_("link"), required=False)
    note = blocks.CharBlock(label=_("what it supports"), required=False)


class ReferencesBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(ReferenceBlock(), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "blocks/references.html"
        label = _("References")
        description = _("Sources, with the date of each text and a link.")
        preview_value = [
            {
                "source": "Règlement (UE) 2024/1689, article 4",
                "date": "2024-06-13",
                "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
                "note": "",
            }
        ]


class GlossaryBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("term"))
    definition = blocks.RichTextBlock(label=_("definition"), features=INLINE)

    class Meta:
        icon = "doc-full"
        template = "blocks/glossary.html"
        label = _("Glossary term")
        description = _("A term and its definition.")
        preview_value = {"term": "Hallucination", "definition": "<p>Réponse plausible mais fausse.</p>"}


class ImageWithAltBlock(ImageBlock):
    class Meta:
        template = "blocks/image.html"
        description = _("An image with its alternative text, or marked as decorative.")


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        features=RICH,
        icon="pilcrow",
        label=_("Text"),
        template="blocks/rich_text.html",
        description=_("Paragraphs, headings and lists."),
        preview_value="<h2>Titre</h2><p>Un paragraphe.</p>",
    )
    image = ImageWithAltBlock(label=_("Image"))
    video = VideoBlock()
    callout = CalloutBlock()
    case_study = CaseStudyBlock()
    prompt_exercise = PromptExerciseBlock()
    classroom_sheet = ClassroomSheetBlock()
    download = DownloadBlock()
    references = ReferencesBlock()
    glossary = GlossaryBlock()
