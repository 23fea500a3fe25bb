"""Load test: a mixed learner workload (locust) against gunicorn on PostgreSQL, the outbox draining to a real Ralph.

    make load-test                      # or: .venv/bin/python bench/load/run.py [options]
    .venv/bin/python bench/load/run.py --configs 1x1,2x1,4x2 --users 5,10,20,40 --stage-seconds 15

For each configuration "WxO" (W gunicorn sync workers, O `manage.py send_statements` outbox workers) it starts
gunicorn and the outbox workers, runs locust headless (bench/load/locustfile.py) through stages of rising
concurrency, samples the outbox backlog and the CPU time of each component every second, then lets the outbox
drain. It prints, per stage: requests/s, requests per CPU-second of the web workers (≈ requests/s per core),
requests per CPU-second of web + PostgreSQL backends, the error rate, p95 per page, statements produced and
delivered per second and the outbox backlog over time. Figures are also written to var/load/<time>.json.

Setup (each run): the database LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lms_load; its name
must contain "load": the run empties its outbox and replaces its load accounts) is created if missing, migrated,
given the demo content if it has none (`load_demo --force`), the cache table and --accounts learner accounts
(load.<n>@ac-toulouse.fr, one password hash computed once, bulk-created). Ralph 5.1.0 (scripts/lrs.sh) runs on
LOAD_LRS_PORT (8445) with a fresh data directory; gunicorn on LOAD_PORT (8440). Locust runs from its own
virtualenv (.bench/venv, installed on first use with the version pinned in pyproject.toml's `bench` group).
The settings are the production ones (DEBUG off, database cache, database sessions) over plain HTTP on loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

# Sibling modules (this file runs as a script: its folder is on the path).
from measure import ROOT, at, sample, start, stop, wait_http
from summary import report

sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lms_load"
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB)
PORT = int(os.environ.get("LOAD_PORT", "8440"))
LRS_PORT = int(os.environ.get("LOAD_LRS_PORT", "8445"))
VAR = Path(os.environ.get("LOAD_VAR_DIR", tempfile.gettempdir() + "/lms-load-var"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Charge-" + secrets.token_urlsafe(12)
ACCOUNT_PATTERN = "load.{n}@ac-toulouse.fr"
BENCH_VENV = ROOT / ".bench" / "venv"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": os.environ.get("LOAD_SECRET_KEY") or secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "PLATFORM_BASE_URL": BASE,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "VAR_DIR": str(VAR),
    "STATIC_ROOT": str(VAR / "static"),
    "LOG_LEVEL": "WARNING",
    "PYTHONUNBUFFERED": "1",
}
os.environ.update({k: ENV[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "VAR_DIR")})
os.environ.update({k: ENV[k] for k in ("SECURE_SSL_REDIRECT", "PLATFORM_BASE_URL", "STATIC_ROOT", "LOG_LEVEL")})
VAR.mkdir(parents=True, exist_ok=True)


def ensure_database() -> None:
    import psycopg

    name = urlparse(DATABASE_URL).path.lstrip("/")
    if "load" not in name:
        sys.exit(f"LOAD_DATABASE_URL must name a database of its own (with 'load' in its name), not {name!r}")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_locust() -> Path:
    locust = BENCH_VENV / "bin" / "locust"
    if locust.exists():
        return locust
    pyproject = (ROOT / "pyproject.toml").read_text()
    pin = re.search(r'"(locust==[^"]+)"', pyproject)
    requirement = pin.group(1) if pin else "locust"
    print(f"==> installing {requirement} into .bench/venv (once)", flush=True)
    python = subprocess.run([str(ROOT / "scripts" / "find-python.sh")], capture_output=True, text=True).stdout.strip()
    subprocess.run([python or sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    subprocess.run([str(BENCH_VENV / "bin" / "pip"), "install", "-q", requirement], check=True)
    return locust


def setup(accounts: int, login_share: float) -> dict:
    """Migrate, demo content, cache table, static files, load accounts, an empty outbox; returns the plan."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone, translation

    from assessments.models import QuizPage
    from courses.models import CoursePage, LessonPage
    from lms.models import Academie, Establishment, User
    from lms.roles import TEACHERS
    from xapi.models import OutboxStatement

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not CoursePage.objects.live().exists():
        print("==> loading the demo content (about a minute, once)", flush=True)
        call_command("load_demo", force=True, quiet_accounts=True, verbosity=0)

    translation.activate("fr")
    course = CoursePage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    lessons = LessonPage.objects.live().descendant_of(course).order_by("path")
    quiz = QuizPage.objects.live().descendant_of(course).filter(max_attempts__isnull=True).order_by("path").first()
    finish = quiz.reverse_subpage("finish", args=[uuid.uuid4()]).rstrip("/").rsplit("/", 1)[-1]

    users = User.objects.filter(email__startswith="load.", email__endswith="@ac-toulouse.fr")
    users.delete()
    academie = Academie.objects.get(code="16")
    establishment = Establishment.objects.filter(academie=academie).first()
    started = time.process_time()
    hashed = make_password(PASSWORD)  # the same work as checking a password at log-in
    login_cpu = time.process_time() - started
    now = timezone.now()
    created = User.objects.bulk_create(
        [
            User(
                email=ACCOUNT_PATTERN.format(n=n),
                first_name="Charge",
                last_name=f"Test {n}",
                password=hashed,
                academie=academie,
                academie_source=User.AcademieSource.EMAIL,
                establishment=establishment,
                email_confirmed_at=now,
            )
            for n in range(accounts)
        ],
        batch_size=1000,
    )
    Group.objects.get(name=TEACHERS).user_set.add(*created)
    # Returning learners: a session opened earlier (the cookie lasts SESSION_COOKIE_AGE); the others log in.
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    sessions = []
    for user in created:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    OutboxStatement.objects.all().delete()
    return {
        "base": BASE,
        "login": reverse("login"),
        "my_learning": reverse("courses:my_learning"),
        "course": course.url,
        "enrol": reverse("courses:enrol", args=[course.pk]),
        "lessons": [{"url": lesson.url, "done": reverse("courses:mark_done", args=[lesson.pk])} for lesson in lessons],
        "quiz": {"url": quiz.url, "start": quiz.url + quiz.reverse_subpage("start"), "finish_marker": finish},
        "accounts": {"pattern": ACCOUNT_PATTERN, "count": accounts},
        "sessions": sessions,
        "login_share": login_share,
        "password": PASSWORD,
        "login_cpu_s": login_cpu,
    }


# --- one configuration -----------------------------------------------------------------------------------------------


def run_config(
    web: int, outbox: int, args, plan: dict, lrs_env: dict, lrs_pid: int, locust: Path, run_dir: Path
) -> dict:
    from django.db import connection

    from xapi.models import OutboxStatement

    OutboxStatement.objects.all().delete()
    connection.close()
    name = f"{web}x{outbox}"
    gunicorn = start(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "lms.wsgi", "-w", str(web), "-b", f"127.0.0.1:{PORT}",
         "--timeout", "60", "--graceful-timeout", "5"],
        run_dir / f"gunicorn-{name}.log",
        ENV,
    )  # fmt: skip
    wait_http(f"{BASE}/healthz", gunicorn, run_dir / f"gunicorn-{name}.log")
    workers = [
        start(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "send_statements"],
            run_dir / f"outbox-{name}-{i}.log",
            {**ENV, **lrs_env},
        )
        for i in range(outbox)
    ]
    results = run_dir / f"stages-{name}.jsonl"
    stages = ",".join(f"{u}:{args.stage_seconds}" for u in args.users)
    locust_env = {**ENV, "LOAD_PLAN": json.dumps(plan), "LOAD_STAGES": stages, "LOAD_RESULTS": str(results)}
    load = start(
        [str(locust), "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless", "--only-summary",
         "--host", BASE, "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        run_dir / f"locust-{name}.log",
        locust_env,
    )  # fmt: skip
    processes = {
        "web": [gunicorn.pid],
        "outbox": [w.pid for w in workers],
        "lrs": [lrs_pid],
        "locust": [load.pid],
    }
    samples = [sample(processes)]
    print(f"--> {name}: {web} gunicorn worker(s), {outbox} outbox worker(s), users {stages}", flush=True)
    while load.poll() is None:
        time.sleep(1)
        samples.append(sample(processes))
    stop(gunicorn)
    drain_started = time.time()
    while samples[-1].backlog and time.time() - drain_started < args.drain_seconds:
        time.sleep(1)
        samples.append(sample(processes))
    drained = None if samples[-1].backlog else round(time.time() - drain_started, 1)
    for worker in workers:
        stop(worker)
    if not results.exists():
        sys.exit(f"locust wrote no figures:\n{(run_dir / f'locust-{name}.log').read_text()[-3000:]}")
    stages_out = []
    for record in map(json.loads, results.read_text().splitlines()):
        a, b = at(samples, record["started"]), at(samples, record["ended"])
        span = max(b.t - a.t, 1e-6)
        seconds = record["seconds"]
        cpu = {k: (b.cpu[k] - a.cpu[k]) / span for k in b.cpu}
        rps = record["requests"] / seconds
        # Log-ins cost a password hash each (PBKDF2): shown apart, so that the pages' own cost is readable.
        logins = record["pages"].get("log in (POST)", {}).get("requests", 0)
        web_cpu_pages = cpu["web"] * span - logins * plan["login_cpu_s"]
        inside = [s for s in samples if record["started"] <= s.t <= record["ended"]] or [b]
        stages_out.append(
            {
                **record,
                "rps": rps,
                "cores_busy": cpu,
                "rps_per_web_core": rps / cpu["web"] if cpu["web"] else None,
                "rps_per_web_db_core": rps / (cpu["web"] + cpu["postgres"]) if cpu["web"] else None,
                "logins": logins,
                "pages_per_web_core": (record["requests"] - logins) / web_cpu_pages if web_cpu_pages > 0 else None,
                "error_rate": record["failures"] / record["requests"] if record["requests"] else 0.0,
                "statements_per_s": (b.produced - a.produced) / span,
                "delivered_per_s": (b.sent - a.sent) / span,
                "backlog_max": max(s.backlog for s in inside),
                "backlog_end": b.backlog,
            }
        )
    t0 = samples[0].t
    # The whole run at once (more requests, steadier figures): CPU milliseconds per request, log-ins apart.
    requests = sum(s["requests"] for s in stages_out)
    logins = sum(s["logins"] for s in stages_out)
    first, last = at(samples, stages_out[0]["started"]), at(samples, stages_out[-1]["ended"])
    web_cpu = last.cpu["web"] - first.cpu["web"]
    whole = {
        "requests": requests,
        "logins": logins,
        "failures": sum(s["failures"] for s in stages_out),
        "web_cpu_s": web_cpu,
        "db_cpu_s": last.cpu["postgres"] - first.cpu["postgres"],
        "web_ms_per_request": 1000 * (web_cpu - logins * plan["login_cpu_s"]) / max(requests - logins, 1),
        "db_ms_per_request": 1000 * (last.cpu["postgres"] - first.cpu["postgres"]) / max(requests, 1),
        "statements_per_request": (last.produced - first.produced) / max(requests, 1),
    }
    return {
        "whole": whole,
        "config": name,
        "web_workers": web,
        "outbox_workers": outbox,
        "stages": stages_out,
        "drained_after_s": drained,
        "login_cpu_s": plan["login_cpu_s"],
        "backlog": [(round(s.t - t0), s.backlog) for s in samples],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="1x1,2x1,4x2", help="WxO pairs: gunicorn workers x outbox workers")
    parser.add_argument("--users", default="5,10,20,40", help="concurrent learners in each stage")
    parser.add_argument("--stage-seconds", type=int, default=15)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--drain-seconds", type=int, default=60)
    parser.add_argument(
        "--login-share",
        type=float,
        default=0.25,
        help="share of learners who log in (the others return with a session)",
    )
    args = parser.parse_args()
    args.users = [int(u) for u in args.users.split(",")]
    configs = [tuple(int(x) for x in c.split("x")) for c in args.configs.split(",")]
    if max(args.users) > args.accounts:
        sys.exit("--accounts must be at least the largest number of users")

    locust = ensure_locust()
    ensure_database()
    print(f"==> setup: {DATABASE_URL}, {args.accounts} learner accounts", flush=True)
    plan = setup(args.accounts, args.login_share)
    run_dir = VAR / "load" / time.strftime("%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True)

    from tests.xapi.ralph import Ralph

    subprocess.run([str(ROOT / "scripts" / "lrs.sh"), "install"], check=True)
    lrs = Ralph(run_dir / "lrs", port=LRS_PORT)
    lrs.start()
    try:
        lrs_env = {"LRS_ENDPOINT": lrs.endpoint, "LRS_USERNAME": lrs.username, "LRS_PASSWORD": lrs.password}
        runs = [
            run_config(web, outbox, args, plan, lrs_env, lrs.process.pid, locust, run_dir) for web, outbox in configs
        ]
    finally:
        lrs.stop()
    summary = {"args": {**vars(args)}, "cores": os.cpu_count(), "runs": runs}
    out = VAR / "load" / f"{run_dir.name}.json"
    out.write_text(json.dumps(summary, indent=1))
    report(runs, args)
    print(f"\nFigures: {out}; logs: {run_dir}")


if __name__ == "__main__":
    main()
