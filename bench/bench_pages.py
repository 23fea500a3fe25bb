"""Benchmark: the learner's pages against a bare Wagtail page with the same body at the same depth.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_bench .venv/bin/python bench/bench_pages.py [-n 200]

(or `make bench-pages`; BENCH_SHOW_QUERIES=<part of a URL> prints the queries counted for it). In one run, in a throwaway PostgreSQL test database: the demo course and its quizzes, a
bare page (bench.benchpages.BenchPage: a lesson's body, no tracking) beside a lesson in the same module (same depth,
same routing), learners, and 100,000 enrolments in one académie (set-based SQL). Then gunicorn (one sync worker,
production settings: DEBUG off, database cache) serves interleaved requests, timed from this process:

- bare page (baseline), lesson anonymous, lesson tracked (enrolled learner: a view recorded each time),
  quiz question page, answer POST (a fresh question each time), quiz submission (a fresh attempt each time),
  My learning, course page (enrolled), and the académie manager's completion report (fewer requests).

Prints for each: median and p90 (ms), the ratio of the median to the baseline's, the number of SQL queries (one
request through Django's test client in this process, after a warm-up GET of each page, same database, counted with
CaptureQueriesContext) and
the gzip size of the HTML. Not part of CI; times are for comparing two runs on the same machine, never asserted.
"""

import argparse
import gzip
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-pages-var-"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", os.environ["VAR_DIR"])  # (whitenoise wants the directory to exist)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

import httpx  # noqa: E402

ENROLMENTS = 100_000
CSRF = "b" * 32  # an unmasked CSRF secret: cookie and form field carry the same value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_content():
    """The demo course and quizzes, the bare page beside a lesson, a 5-question quiz for answers and submissions."""
    from django.core.management import call_command

    from wagtail.models import Locale

    from assessments import demo as quiz_demo
    from assessments.models import QuizPage, QuizQuestion
    from bench.benchpages.models import BenchPage
    from courses import demo as course_demo
    from courses.models import CoursePage, LessonPage
    from tests.assessments.conftest import make_question

    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)  # (ROLE_PERMISSIONS groups follow migrate)
    course_demo.load()
    quiz_demo.load()
    fr = Locale.objects.get(language_code="fr")
    course = CoursePage.objects.live().filter(locale=fr).order_by("path").first()
    lessons = list(LessonPage.objects.live().descendant_of(course).filter(locale=fr).order_by("path"))
    lesson = max(lessons, key=lambda lesson: len(str(lesson.body.raw_data)))  # the heaviest body
    module = lesson.get_parent()
    bare = BenchPage(
        title=lesson.title, slug="bench-bare-page", summary=lesson.summary, body=lesson.body.raw_data, locale=fr
    )
    module.add_child(instance=bare)
    bare.save_revision().publish()
    kinds = ["single", "multiple", "true_false", "short_text", "numeric"]
    questions = [make_question(k, title=f"bench-{k}", locale=fr) for k in kinds]
    quiz = QuizPage(title="Quiz de mesure", slug="quiz-de-mesure", one_question_per_page=True, shuffle_choices=False)
    module.add_child(instance=quiz)
    quiz.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)]
    quiz.save()
    quiz.save_revision().publish()
    return course, lesson, BenchPage.objects.get(pk=bare.pk), QuizPage.objects.get(pk=quiz.pk)


def make_learners(n: int, course, quiz):
    """n learners, enrolled, each with an attempt whose questions 2..5 are answered (question 1 left for the
    timed answer POST, then the timed submission). Sessions made by Django's test client (force_login)."""
    from assessments import services as quiz_services
    from courses import services as course_services
    from lms.models import Academie, User
    from lms.roles import TEACHERS
    from tests.assessments.conftest import RIGHT

    academie = Academie.objects.order_by("pk").first()
    from django.contrib.auth.models import Group

    teachers = Group.objects.get(name=TEACHERS)
    learners = []
    for i in range(n):
        user = User.objects.create(email=f"bench{i}@ac-bench.fr", password="!", academie=academie)  # noqa: S106
        user.groups.add(teachers)
        course_services.enrol(user=user, course=course)
        attempt = quiz_services.start_attempt(user=user, quiz=quiz)
        answers = {slot: RIGHT[entry["type"]] for slot, entry in enumerate(attempt.layout) if slot > 0}
        quiz_services.save_answers(user=user, attempt_id=attempt.pk, answers=answers, quiz=quiz)
        client = Client()
        client.force_login(user)
        learners.append({"user": user, "attempt": attempt, "session": client.cookies["sessionid"].value})
    return learners


def make_manager_population(academie_code: str | None = None):
    """A manager of one académie whose catalogue has the course, and 100,000 enrolments in that académie."""
    from bench.bench_exports import fill_defaults
    from courses.models import CoursePage
    from lms.models import Academie, User
    from lms.roles import ACADEMY_MANAGERS

    academie = Academie.objects.order_by("pk").first()
    manager = User.objects.create(email="manager@ac-bench.fr", password="!", academie=academie)  # noqa: S106
    from django.contrib.auth.models import Group

    manager.groups.add(Group.objects.get(name=ACADEMY_MANAGERS))
    keys = sorted({str(k) for k in CoursePage.objects.values_list("translation_key", flat=True)})
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cols, exprs = fill_defaults(
            cursor,
            "lms_user",
            {
                "password": "'!'",
                "email": "'report' || n || '@ac-bench.fr'",
                "first_name": "'Prénom' || n",
                "last_name": "'Nom-' || n",
                "is_superuser": "false",
                "is_staff": "false",
                "is_active": "true",
                "date_joined": "now()",
                "academie_id": str(academie.pk),
                "academie_source": "'email'",
                "preferred_language": "'fr'",
            },
        )
        per_course = len(keys)
        cursor.execute(
            f"INSERT INTO lms_user ({cols}) SELECT {exprs} FROM generate_series(0, %s) AS n",
            [ENROLMENTS // per_course],
        )
        keys_sql = "ARRAY[" + ", ".join(f"'{k}'::uuid" for k in keys) + "]"
        cols, exprs = fill_defaults(
            cursor,
            "courses_enrolment",
            {
                "user_id": "u.id",
                "course_key": f"({keys_sql})[1 + mod(n, {per_course})]",
                "registration": "gen_random_uuid()",
                "academie_id": "u.academie_id",
                "enrolled_at": "timestamp with time zone '2025-09-01' + mod(n, 300) * interval '1 day'",
                "completed_at": "CASE WHEN mod(n, 5) < 2 THEN timestamp with time zone '2025-10-01' END",
            },
        )
        cursor.execute(
            f"INSERT INTO courses_enrolment ({cols}) SELECT {exprs} FROM generate_series(0, %s) AS n "
            f"JOIN lms_user u ON u.email = 'report' || (n / {per_course}) || '@ac-bench.fr'",
            [ENROLMENTS - 1],
        )
        cursor.execute("ANALYZE")
    print(f"generated {ENROLMENTS:,} enrolments in {academie} in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(manager)
    return client.cookies["sessionid"].value


def count_queries(method: str, url: str, session: str | None, data: dict | None = None) -> tuple[int, int]:
    """(queries, status) for one request through Django's test client, in this process."""
    client = Client(enforce_csrf_checks=False)
    if session:
        client.cookies["sessionid"] = session
    call = client.post if method == "POST" else client.get
    with CaptureQueriesContext(connection) as queries:
        response = call(url, data or {}, secure=True)
    if os.environ.get("BENCH_SHOW_QUERIES") and os.environ["BENCH_SHOW_QUERIES"] in url:
        print(f"\n{method} {url}: {len(queries)} queries")
        for number, query in enumerate(queries.captured_queries, 1):
            print(f"  {number:>2} {query['sql'][:160]}")
    return len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--report-n", type=int, default=20, help="requests for the manager's report (default 20)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        from tests.assessments.conftest import RIGHT, post_data

        started = time.perf_counter()
        course, lesson, bare, quiz = build_content()
        # learners 0..n-1: timed; n: warm-up; n+1: query counts; n+2: the question page (question 1 never answered)
        learners = make_learners(args.n + 3, course, quiz)
        manager_session = make_manager_population()
        reader = learners[args.n + 2]
        with translation.override("fr"):
            my_learning_url = reverse("courses:my_learning")
            attempt_url = lambda a: quiz.url + quiz.reverse_subpage("attempt", args=[a.pk])  # noqa: E731
            finish_url = lambda a: quiz.url + quiz.reverse_subpage("finish", args=[a.pk])  # noqa: E731
            report_url = reverse("reports_admin:completions")
        print(f"content, {len(learners)} learners and the report population in {time.perf_counter() - started:.0f} s")

        db_url = urlparse(os.environ["DATABASE_URL"])
        test_url = urlunparse(db_url._replace(path="/" + connection.settings_dict["NAME"]))
        port = free_port()
        env = {**os.environ, "DATABASE_URL": test_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        connection.close()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "lms.wsgi",
                "--workers=1",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
                f"--chdir={ROOT}",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        origin = f"https://127.0.0.1:{port}"
        http = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
        for _ in range(100):
            try:
                http.get("/healthz")
                break
            except httpx.TransportError:
                time.sleep(0.2)

        def request(method: str, path: str, session: str | None = None, data: dict | None = None):
            http.cookies.clear()
            headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + "/"}
            cookies = [f"csrftoken={CSRF}"]
            if session:
                cookies.append(f"sessionid={session}")
            headers["Cookie"] = "; ".join(cookies)
            if method == "POST":
                data = {**(data or {}), "csrfmiddlewaretoken": CSRF}
                return http.post(path, data=data, headers=headers)
            return http.get(path, headers=headers)

        learner = learners[0]

        def answer(i):
            a = learners[i]["attempt"]
            return "POST", attempt_url(a), learners[i]["session"], post_data(a, 0, RIGHT[a.layout[0]["type"]])

        def finish(i):
            a = learners[i]["attempt"]
            return "POST", finish_url(a), learners[i]["session"], None

        pages = {
            "bare page (baseline)": lambda i: ("GET", bare.url, None, None),
            "bare page, logged in": lambda i: ("GET", bare.url, learner["session"], None),
            "lesson, anonymous": lambda i: ("GET", lesson.url, None, None),
            "lesson, tracked": lambda i: ("GET", lesson.url, learner["session"], None),
            "quiz question page": lambda i: ("GET", attempt_url(reader["attempt"]), reader["session"], None),
            "answer POST": answer,
            "quiz submission": finish,
            "My learning": lambda i: ("GET", my_learning_url, learner["session"], None),
            "course page": lambda i: ("GET", course.url, learner["session"], None),
            "manager's report (100,000)": lambda i: ("GET", report_url, manager_session, None),
        }
        expected = {"answer POST": 302, "quiz submission": 302}
        times: dict[str, list[float]] = {name: [] for name in pages}
        sizes: dict[str, int] = {}
        # warm-up: one of each (the answer and the submission of the query-counting learner)
        for name, make in pages.items():
            method, path, session, data = make(args.n)
            response = request(method, path, session, data)
            if response.status_code != expected.get(name, 200):
                raise SystemExit(f"{name}: {method} {path} answered {response.status_code}")
        for i in range(args.n):
            for name, make in pages.items():
                if name.startswith("manager") and i >= args.report_n:
                    continue
                method, path, session, data = make(i)
                t0 = time.perf_counter()
                response = request(method, path, session, data)
                times[name].append((time.perf_counter() - t0) * 1000)
                if response.status_code != expected.get(name, 200):
                    raise SystemExit(f"{name}: {method} {path} answered {response.status_code}")
                if response.status_code == 200:
                    sizes[name] = len(gzip.compress(response.content))
        server.terminate()
        server.wait(timeout=30)
        server = None

        # Query counts: one more request of each through the test client (learner n+1: a fresh answer, then
        # a fresh submission).
        # A warm-up GET of each page first: this process's memos (courses.sitecache) are then warm, as in the
        # server after its first requests.
        for make in pages.values():
            method, path, session, _data = make(args.n + 1)
            if method == "GET":
                count_queries(method, path, session)
        counts = {name: count_queries(*make(args.n + 1))[0] for name, make in pages.items()}

        base_median = statistics.median(times["bare page (baseline)"])
        logged_in_median = statistics.median(times["bare page, logged in"])
        logged_in = {name for name, make in pages.items() if make(0)[2] is not None}
        print(
            f"\ngunicorn, 1 sync worker, production settings (DEBUG off, database cache), PostgreSQL; "
            f"{args.n} interleaved requests per page ({args.report_n} for the report)\n"
            "× bare: to the bare page requested anonymously; × bare in: to the bare page requested by the same "
            "logged-in learner (Django's session and user included)\n"
        )
        print(f"{'page':<28} {'median':>9} {'p90':>9} {'× bare':>7} {'× bare in':>9} {'queries':>8} {'gzip':>8}")
        for name, values in times.items():
            median = statistics.median(values)
            p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
            size = f"{sizes[name] / 1024:.1f} KB" if name in sizes else "—"
            ratio_in = f"{median / logged_in_median:8.2f}×" if name in logged_in else f"{'—':>9}"
            print(
                f"{name:<28} {median:7.1f}ms {p90:7.1f}ms {median / base_median:6.2f}× {ratio_in} "
                f"{counts[name]:>8} {size:>8}"
            )
        print(
            "\ngoals: tracked lesson ≤ 1.3× the bare page and ≤ 15 queries; anonymous lesson ≤ 1.1×; "
            "quiz submission constant in questions (tests/assessments)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
