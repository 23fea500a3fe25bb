"""Crosswalks shipped as data: each link must name the public source that supports it (kept in the association's
``notes`` and shown in the admin). A link no source we could check supports is left out, never guessed.

Shipped (2026-12-02): **none yet.** We looked for a public, item-level correspondence between the UNESCO AI
Competency Framework for Teachers (2024) and DigCompEdu (2017), and between UNESCO's framework and CRCN-Édu
(Pix+ Édu), and found none we could verify: the public pages we could read say only that CRCN-Édu is derived from
DigCompEdu (e.g. https://drane.ac-normandie.fr/le-crcn-edu), at the level of the whole framework. Coordinators
author sourced links on the admin screen (*Crosswalks between frameworks*); add entries here only with a source.
A second, longer search (2 December 2026, 54 searches, each recorded with what it returned, and the sources worth
reading with web access: docs/crosswalk-search.md) found none either.

Each entry: (origin "framework-code:item-code", association type, destination "framework-code:item-code", source).
"""

CROSSWALKS: list[tuple[str, str, str, str]] = []
