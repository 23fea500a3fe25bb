"""Uploaded files cannot become pages of the site: SVG (and HTML) refused at upload, media served with nosniff, a
Content-Disposition (inline only for raster images and embedded media) and a sandboxing policy."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>'


@pytest.fixture
def editor(client, make_user):
    user = make_user(email="editeur@education.gouv.fr", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def png_bytes() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("name", ["evil.svg", "evil.png"])  # an SVG, also when it pretends to be a PNG
def test_an_svg_with_a_script_is_refused_at_upload(client, editor, name):
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile(name, SVG, content_type="image/svg+xml")},
    )
    assert response.status_code == 200  # the form again, with its error
    errors = response.context["form"].errors["file"]
    assert errors and ("SVG" in errors[0] or "PNG" in errors[0] or "format" in errors[0].lower())
    assert not get_image_model().objects.exists()


def test_a_raster_image_is_accepted(client, editor):
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Photo", "file": SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


@pytest.mark.parametrize("name", ["page.html", "page.htm", "dessin.svg", "data.xml", "script.js"])
def test_documents_refuse_files_a_browser_would_render(client, editor, name):
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Doc", "file": SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_document_model().objects.exists()


def put(relative: str, content: bytes) -> str:
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return settings.MEDIA_URL + relative


def test_a_served_media_file_carries_nosniff_and_a_disposition(client):
    image = client.get(put("original_images/photo.png", png_bytes()))
    assert image.status_code == 200
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Disposition"] == "inline"
    assert "sandbox" in image["Content-Security-Policy"]
    # a file uploaded before SVG was refused (or dropped in by hand) is downloaded, never rendered in our origin
    old = client.get(put("original_images/old.svg", SVG))
    assert old["X-Content-Type-Options"] == "nosniff"
    assert old["Content-Disposition"] == "attachment"
    assert old["Content-Security-Policy"].startswith("default-src 'none'")


def test_document_files_are_only_served_through_the_documents_view(client):
    assert client.get(put("documents/secret.pdf", b"%PDF-1.4")).status_code == 404
