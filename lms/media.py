"""Uploaded files (MEDIA_ROOT) served with a policy: never rendered as a page of the site.

Development serves /media/ through Django (``settings.SERVE_MEDIA``, on with DEBUG); production normally lets the web
server do it with the same headers (docs/security.md gives the configuration). Either way:

- ``X-Content-Type-Options: nosniff``: the browser keeps the declared type and never guesses HTML or script;
- ``Content-Disposition``: ``inline`` only for raster images, audio, video and subtitles (what the pages embed),
  ``attachment`` for everything else, so an uploaded file opened by URL is downloaded, not rendered in our origin;
- ``Content-Security-Policy: default-src 'none'; sandbox``: should a file still be rendered, it runs nothing.

Documents have their own view (Wagtail's ``/documents/``, which checks collection privacy); their files under
``/media/documents/`` are not served at all.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

INLINE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "avif", "mp4", "webm", "vtt", "mp3", "ogg"})
MEDIA_CSP = "default-src 'none'; sandbox"
PRIVATE_PREFIXES = ("documents/",)


def media_headers(path: str) -> dict[str, str]:
    """The headers every media file is served with (also what the production web server must send)."""
    name = PurePosixPath(path).name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    disposition = "inline" if extension in INLINE_EXTENSIONS else "attachment"
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": disposition,
        "Content-Security-Policy": MEDIA_CSP,
    }


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    if path.lstrip("/").startswith(PRIVATE_PREFIXES):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    for header, value in media_headers(path).items():
        response[header] = value
    return response
