"""What every page shows and only publishing changes, kept between requests.

The **content generation** is a random token in Django's cache (shared by every process in production: the
database cache, see lms/settings/production.py). Saving, publishing, unpublishing, moving or deleting a page, or
changing a page's view restrictions, starts a new generation (`courses.signals`, immediately and again after the
commit). Everything below is kept for one generation only:

- the course structures (`courses.selectors.course_structure`, in the shared cache, read in the same cache
  round trip as the generation);
- small per-process memos (`memo`): the menu's catalogue link, the footer's legal pages, a page's translations
  for the language switcher, the pages that have view restrictions. A process drops them all as soon as it sees
  a new generation, so that no process serves what was unpublished elsewhere.

The generation is read at most once per request (kept on the request).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache

GENERATION_KEY = "courses:content-generation"
MEMO_LIMIT = 10_000  # entries per process (a page's translations are one entry each)

_memo: dict[Hashable, Any] = {}
_memo_generation: str | None = None


def new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _initial() -> str:
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def generation(request=None, *, found: dict | None = None) -> str:
    """The current generation: from `found` (a `cache.get_many` that included GENERATION_KEY), from the request
    when read already, else from the cache (one read)."""
    if found is not None:
        value = found.get(GENERATION_KEY) or _initial()
    elif request is not None and getattr(request, "_content_generation", None):
        return request._content_generation
    else:
        value = cache.get(GENERATION_KEY) or _initial()
    if request is not None:
        request._content_generation = value
    return value


def memo(request, key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept in this process for the current generation."""
    global _memo_generation
    current = generation(request)
    if current != _memo_generation:
        _memo.clear()
        _memo_generation = current
    entry = (current, key)  # (the generation in the key too: a thread still on an older one never serves it here)
    try:
        return _memo[entry]
    except KeyError:
        pass
    if len(_memo) >= MEMO_LIMIT:
        _memo.clear()
    value = _memo[entry] = compute()
    return value
