"""Reads for the learner's journey, each in a constant number of queries."""

from dataclasses import dataclass, field
from uuid import UUID

from django.apps import apps
from django.core.cache import cache
from django.db.models import DEFERRED, Prefetch
from django.http import Http404

from wagtail.models import Page

from . import progress as rules
from . import sitecache
from .models import ActivityProgress, CoursePage, Enrolment, LessonPage, ModulePage


@dataclass
class Activity:
    page: Page  # specific page: a lesson or a quiz
    key: UUID
    kind: str  # "lesson" or "quiz"
    required: bool
    module_key: UUID


@dataclass
class Module:
    page: ModulePage
    key: UUID
    activities: list[Activity] = field(default_factory=list)

    @property
    def required(self) -> list[Activity]:
        return [a for a in self.activities if a.required]


@dataclass
class Structure:
    course: CoursePage
    modules: list[Module]
    rule: rules.CourseRule | None = None

    @property
    def activities(self) -> list[Activity]:
        return [a for m in self.modules for a in m.activities]

    def module_of(self, key: UUID) -> Module | None:
        for module in self.modules:
            if module.key == key or any(a.key == key for a in module.activities):
                return module
        return None

    def next_activity(self, key: UUID | None, done: set[UUID] = frozenset()) -> Activity | None:
        """The activity after `key` (or the first), skipping ones already done when possible."""
        activities = self.activities
        start = 0
        if key is not None:
            for i, a in enumerate(activities):
                if a.key == key:
                    start = i + 1
                    break
        following = activities[start:]
        return next((a for a in following if a.key not in done), None) or (following[0] if following else None)


def course_and_module(page: Page) -> tuple[CoursePage | None, ModulePage | None]:
    """The course and module a lesson or quiz belongs to (one query; none when the page was routed by
    `courses.routing`, which keeps the pages on the way)."""
    course = module = None
    for ancestor in _ancestors(page):
        if isinstance(ancestor, CoursePage):
            course = ancestor
        elif isinstance(ancestor, ModulePage):
            module = ancestor
    if isinstance(page, ModulePage):
        module = page
    return course, module


def _ancestors(page: Page) -> list[Page]:
    routed = getattr(page, "_route_ancestors", None)
    if routed is None:
        return list(page.get_ancestors().specific(defer=True))
    ancestors = []
    for base in routed:
        specific = base.get_specific(deferred=True)
        if specific is not base and "locale" in base._state.fields_cache:
            specific.locale = base.locale  # (read with the route)
        ancestors.append(specific)
    return ancestors


# The live structure of a course, cached (Django's cache) per course page for the current content generation
# (`courses.sitecache`): publishing, unpublishing, moving or deleting any page starts a new one, so an entry built
# before is never read again, in any process sharing the cache. A reader that built its entry from data older
# than a publication stores it under the old generation: never read either.
STRUCTURE_TIMEOUT = 24 * 60 * 60
_PAGE_FIELDS = (
    "id",
    "title",
    "draft_title",
    "slug",
    "path",
    "depth",
    "numchild",
    "url_path",
    "live",
    "translation_key",
    "locale_id",
    "content_type_id",
    "alias_of_id",
)


def course_structure(course: CoursePage, *, include_drafts: bool = False, request=None) -> Structure:
    """Live modules and their live activities (lessons, quizzes), in tree order, with the rule applied.

    From the cache (one cache read: the generation and the entry together; the generation is then kept on
    `request`) when the live structure was built since the last publication; otherwise built (a constant number of queries) and stored. Previews
    (`include_drafts`) are never cached. The pages in a cached structure carry their tree fields and title (and
    `required_for_completion`); any other field is read from the database if used (deferred).
    """
    if include_drafts or not course.path:
        return _build_structure(course, include_drafts=include_drafts)
    if request is not None and getattr(request, "_content_generation", None):
        # Generation known: this process's memo of the modules and activities (their pages made once, shared
        # read-only by the requests of this generation), else the shared cache, else built.
        built = sitecache.memo(
            request,
            ("structure", course.pk),
            lambda: _structure_from_data(course, _shared_structure_data(course, request)),
        )
        return Structure(course=course, modules=built.modules, rule=built.rule)
    return _structure_from_data(course, _shared_structure_data(course, request))


def _shared_structure_data(course: CoursePage, request) -> dict:
    key = f"courses:structure:{course.pk}"
    found = cache.get_many([sitecache.GENERATION_KEY, key])
    generation = sitecache.generation(request, found=found)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    data = _structure_to_data(_build_structure(course))
    cache.set(key, (generation, data), STRUCTURE_TIMEOUT)
    return data


def _page_data(page: Page) -> tuple:
    extra = (
        {"required_for_completion": page.required_for_completion} if hasattr(page, "required_for_completion") else {}
    )
    return (page._meta.label_lower, tuple(getattr(page, f) for f in _PAGE_FIELDS), extra)


def _page_from_data(data: tuple) -> Page:
    label, values, extra = data
    model = apps.get_model(label)
    known = {**dict(zip(_PAGE_FIELDS, values, strict=True)), **extra}
    known[model._meta.pk.attname] = known["id"]
    concrete = model._meta.concrete_fields
    return model.from_db(None, [f.attname for f in concrete], [known.get(f.attname, DEFERRED) for f in concrete])


def _structure_to_data(structure: Structure) -> dict:
    return {
        "modules": [
            (
                _page_data(m.page),
                [(_page_data(a.page), a.kind, a.required) for a in m.activities],
            )
            for m in structure.modules
        ],
        "required_by_module": structure.rule.required_by_module if structure.rule else None,
    }


def _structure_from_data(course: CoursePage, data: dict) -> Structure:
    modules = []
    for module_data, activities in data["modules"]:
        page = _page_from_data(module_data)
        module = Module(page=page, key=page.translation_key)
        for activity_data, kind, required in activities:
            activity_page = _page_from_data(activity_data)
            module.activities.append(
                Activity(
                    page=activity_page,
                    key=activity_page.translation_key,
                    kind=kind,
                    required=required,
                    module_key=module.key,
                )
            )
        modules.append(module)
    rule = None
    if data["required_by_module"] is not None:
        rule = rules.CourseRule(course_key=course.translation_key, required_by_module=data["required_by_module"])
    return Structure(course=course, modules=modules, rule=rule)


def _build_structure(course: CoursePage, *, include_drafts: bool = False) -> Structure:
    """Live modules and their live activities (lessons, quizzes), in tree order: a constant number of queries.

    Whether an activity is required comes from the one rule (``courses.progress``): applied to the pages read here
    when this is the version the rule reads (the French one, usually), else read for that version.
    `include_drafts` (previews): pages not yet published too, so an author sees the course as it will be (the rule
    counts only what is live).
    """
    modules: dict[str, Module] = {}
    ordered: list[Module] = []
    if not course.path:
        return Structure(course=course, modules=ordered)
    nodes: list[rules.Node] = []
    descendants = course.get_descendants()
    if not include_drafts:
        descendants = descendants.live()
    for page in descendants.specific().order_by("path"):
        if isinstance(page, ModulePage):
            module = Module(page=page, key=page.translation_key)
            modules[page.path] = module
            ordered.append(module)
            nodes.append(rules.Node(key=module.key, kind="module", live=page.live))
            continue
        module = modules.get(page.path[: -Page.steplen])
        if module is None or not hasattr(page, "required_for_completion"):
            continue
        kind = "lesson" if isinstance(page, LessonPage) else "quiz"
        module.activities.append(
            Activity(page=page, key=page.translation_key, kind=kind, required=False, module_key=module.key)
        )
        nodes.append(
            rules.Node(
                key=page.translation_key,
                kind="activity",
                live=page.live,
                required_flag=page.required_for_completion,
                module_key=module.key,
            )
        )
    versions = rules.course_versions([course.translation_key])
    if rules.canonical_path(versions, course.translation_key) == course.path:
        course_rule = rules.rule_from_nodes(course.translation_key, nodes)
    else:
        course_rule = rules.course_rules(rows=versions).get(course.translation_key) or rules.CourseRule(
            course_key=course.translation_key
        )
    for module in ordered:
        for activity in module.activities:
            activity.required = course_rule.is_required(activity.key)
    return Structure(course=course, modules=ordered, rule=course_rule)


def lesson_competencies(lesson: LessonPage, request=None) -> list:
    """The competencies a lesson develops, with their frameworks; kept in this process for the current content
    generation when the lesson is live and `request` is given (a page, item or framework saved starts a new one)."""

    def read() -> list:
        return list(lesson.competencies.select_related("framework").order_by("path"))

    if request is None or not lesson.live or getattr(request, "is_preview", False):
        return read()
    return sitecache.memo(request, ("lesson_competencies", lesson.pk), read)


@dataclass
class Progress:
    enrolment: Enrolment | None
    done: set[UUID]
    module_percent: dict[UUID, int]
    percent: int
    completed: bool
    next_activity: Activity | None

    def is_done(self, key: UUID) -> bool:
        return key in self.done


def progress_for(*, enrolment: Enrolment | None, structure: Structure) -> Progress:
    done: set[UUID] = set()
    if enrolment is not None and hasattr(enrolment, "done_keys"):  # read with the enrolment (enrolments.enrolment_for)
        done = {UUID(key) for key in (enrolment.done_keys or "").split(",") if key}
    elif enrolment is not None:
        done = set(
            ActivityProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list(
                "activity_key", flat=True
            )
        )
    return _progress(enrolment=enrolment, structure=structure, done=done)


def preview_progress(*, structure: Structure, current_key: UUID | None = None) -> Progress:
    """A sample progress state for previews, built in memory (nothing is read from or written to progress tables):
    an enrolment that is never saved, with the activities before `current_key` done (the first one without a key)."""
    enrolment = Enrolment(course_key=structure.course.translation_key, last_activity_key=current_key)
    keys = [a.key for a in structure.activities]
    done = set(keys[: keys.index(current_key)] if current_key in keys else keys[:1])
    return _progress(enrolment=enrolment, structure=structure, done=done)


def _progress(*, enrolment: Enrolment | None, structure: Structure, done: set[UUID]) -> Progress:
    course_rule = structure.rule or rules.course_rule(structure.course.translation_key)
    module_percent = {
        m.key: course_rule.module_percent(m.key, done, completed=m.key in done) for m in structure.modules
    }
    completed = bool(enrolment and enrolment.completed_at)
    percent = course_rule.percent(done, completed=completed)
    last = enrolment.last_activity_key if enrolment else None
    if last is not None and last not in done:
        nxt = next((a for a in structure.activities if a.key == last), None)
    else:
        nxt = structure.next_activity(last, done)
    return Progress(enrolment, done, module_percent, percent, completed, nxt)


def my_enrolments(*, user, language: str) -> list[dict]:
    """The learner's courses in their language (or the other one), with progress: a constant number of queries."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .prefetch_related(
            Prefetch("activities", queryset=ActivityProgress.objects.filter(completed_at__isnull=False), to_attr="done")
        )
        .order_by("-last_activity_at", "-enrolled_at")
    )
    keys = [e.course_key for e in enrolments]
    pages: dict[UUID, CoursePage] = {}
    for page in CoursePage.objects.live().filter(translation_key__in=keys).select_related("locale"):
        if page.translation_key not in pages or page.locale.language_code == language:
            pages[page.translation_key] = page
    rows = []
    for enrolment in enrolments:
        course = pages.get(enrolment.course_key)
        if course is None:
            continue
        rows.append({"enrolment": enrolment, "course": course})
    if rows:
        by_course = rules.course_rules([r["course"].translation_key for r in rows])
        for row in rows:
            row["percent"] = rules.done_percent(
                by_course.get(row["course"].translation_key),
                {a.activity_key for a in row["enrolment"].done},
                completed=bool(row["enrolment"].completed_at),
            )
    return rows


def resume_url(*, user, course_key: UUID | None = None, language: str) -> str | None:
    """Where "continue" leads the learner: in the course last worked on (or `course_key`), in their language when it
    exists, the last activity not yet done or the next one. None when not enrolled; 404 when the course is gone."""
    enrolments = Enrolment.objects.filter(user=user)
    if course_key:
        enrolments = enrolments.filter(course_key=course_key)
    enrolment = enrolments.order_by("-last_activity_at", "-enrolled_at").first()
    if enrolment is None:
        return None
    courses = CoursePage.objects.live().filter(translation_key=enrolment.course_key).select_related("locale")
    course = next((c for c in courses if c.locale.language_code == language), None) or courses.first()
    if course is None:
        raise Http404
    progress = progress_for(enrolment=enrolment, structure=course_structure(course))
    return progress.next_activity.page.url if progress.next_activity else course.url
