"""Lesson blocks as a learner receives them: images as resized renditions with srcset and lazy loading,
local videos with their transcript, every block with its template."""

import io

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from courses.blocks import LessonStreamBlock


def _png(width=1600, height=900) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 80, 140)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="schema.png")


@pytest.fixture
def lesson_with_media(build_course):
    c = build_course(n_modules=1, n_lessons=1, translate=False)
    image = Image.objects.create(title="Schéma", file=_png())
    ornament = Image.objects.create(title="Ornement", file=_png(800, 200))
    video = Document.objects.create(
        title="Démonstration", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="demo.mp4")
    )
    lesson = c["lessons"][0]
    lesson.body = [
        ("image", {"image": image, "alt_text": "Schéma d'un modèle de langage", "decorative": False}),
        ("image", {"image": ornament, "alt_text": "", "decorative": True}),
        ("video", {"video": video, "captions": None, "title": "Démonstration", "transcript": "<p>Bonjour à tous.</p>"}),
    ]
    lesson.save_revision().publish()
    return lesson


def test_images_are_resized_renditions_with_srcset_and_lazy_loading(client, lesson_with_media):
    html = client.get(lesson_with_media.url).content.decode()
    assert 'loading="lazy"' in html and "srcset=" in html and "400w" in html and "1200w" in html
    assert "schema.png" not in html.split("srcset=")[1].split(">")[0]  # renditions, never the 1600-px original
    assert 'alt="Schéma d&#x27;un modèle de langage"' in html
    assert 'alt=""' in html  # the decorative one


def test_local_video_comes_with_its_transcript(client, lesson_with_media):
    html = client.get(lesson_with_media.url).content.decode()
    assert "<video" in html and "demo" in html and "Bonjour à tous." in html and "<details>" in html
    assert "youtube" not in html and "vimeo" not in html  # nothing from the internet


def test_a_video_without_transcript_is_refused(db):
    from django.core.exceptions import ValidationError

    block = LessonStreamBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python([{"type": "video", "value": {"video": None, "title": "x", "transcript": ""}}]))


def test_every_block_has_a_template_a_description_and_a_preview():
    block = LessonStreamBlock()
    for name, child in block.child_blocks.items():
        assert child.meta.template and child.meta.template.startswith("blocks/"), name
        assert child.meta.description, name
