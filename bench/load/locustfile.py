"""The learners' workload for the load test (run by bench/load/run.py, which writes the plan and reads the results).

Each simulated learner logs in with an account of its own (created by the run's setup step), enrols in the demo
course, then reads lessons, marks some done, opens "My learning" and takes the positioning quiz (every question
answered, then submitted). Redirects are followed by hand, so each page has its own line in the figures.

Environment: LOAD_PLAN (JSON written by run.py: URLs, accounts), LOAD_STAGES ("users:seconds,..."), LOAD_RESULTS
(a JSON-lines file where the figures of each stage are appended). Runs in its own virtualenv (.bench/venv): locust
and the standard library only.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from locust import HttpUser, LoadTestShape, between, task

PLAN = json.loads(os.environ.get("LOAD_PLAN", "{}") or "{}")
STAGES = [tuple(int(x) for x in s.split(":")) for s in os.environ.get("LOAD_STAGES", "4:20").split(",")]
RESULTS = os.environ.get("LOAD_RESULTS", "load-results.jsonl")
_account_numbers = itertools.count()


class FormParser(HTMLParser):
    """The forms of a page: action, method and fields (enough for the quiz's plain HTML forms)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            self.forms[-1]["fields"].append((a.get("type", "text").lower(), a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"].append(("textarea", a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            self.forms[-1]["fields"].append(("option", self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def answers_for(form: dict) -> dict[str, list[str]]:
    """Fill a question form as a learner would: one choice per radio group, some boxes, a short text."""
    data: dict[str, list[str]] = {}
    choices: dict[str, list[str]] = {}
    selects: dict[str, list[str]] = {}
    for kind, name, value in form["fields"]:
        if kind in ("hidden",):
            data.setdefault(name, []).append(value)
        elif kind in ("radio", "checkbox"):
            choices.setdefault(name, []).append(value)
        elif kind == "option" and value:  # (not the empty "choose" option)
            selects.setdefault(name, []).append(value)
        elif kind in ("text", "textarea", "search"):
            data[name] = ["Une réponse courte"]
        elif kind == "number":
            data[name] = ["1"]
    for name, values in choices.items():
        data[name] = [random.choice(values)]  # noqa: S311 - a simulated learner, not a secret
    # Lists with the same options (an ordering question's positions, a matching question's targets): a different
    # option in each, as a learner must give each position once (the platform refuses two items at one position).
    options = {tuple(values) for values in selects.values()}
    if len(options) == 1 and len(next(iter(options))) >= len(selects):
        picked = random.sample(next(iter(options)), len(selects))  # noqa: S311
        data.update({name: [value] for name, value in zip(selects, picked, strict=True)})
    else:
        data.update({name: [random.choice(values)] for name, values in selects.items()})  # noqa: S311
    return data


class Learner(HttpUser):
    wait_time = between(0.5, 1.5)  # think time: short on purpose, to find the throughput the machine allows

    def on_start(self) -> None:
        number = next(_account_numbers) % PLAN["accounts"]["count"]
        self.email = PLAN["accounts"]["pattern"].format(n=number)
        if random.random() < PLAN["login_share"]:  # noqa: S311
            self.get("log-in page", PLAN["login"])
            response = self.post("log in (POST)", PLAN["login"], {"username": self.email, "password": PLAN["password"]})
            if response.status_code != 302:
                self.stop()
                return
        else:  # a returning learner: the session cookie of an earlier visit
            self.client.cookies.set("sessionid", PLAN["sessions"][number], domain=urlparse(PLAN["base"]).hostname)
        self.get("course page", PLAN["course"])
        self.follow(self.post("enrol (POST)", PLAN["enrol"], {}), "lesson (after enrolling)")

    # --- helpers ---------------------------------------------------------------------------------------------------

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def _plain_http_cookies(self) -> None:
        # The platform's cookies are Secure (production settings); the test talks plain HTTP on loopback.
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, name: str, url: str):
        """A page the learner should see: anything but 200 (a redirect to the log-in page included) is an error."""
        self._plain_http_cookies()
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())
            return response

    def post(self, name: str, url: str, data: dict, expect=(302, 303)):
        self._plain_http_cookies()
        payload = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(url, data=payload, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code} (expected {expect})")
            return response

    def follow(self, response, name: str):
        location = response.headers.get("Location")
        if not location:
            return None
        return self.get(name, urljoin(PLAN["base"], location))

    # --- the workload ----------------------------------------------------------------------------------------------

    @task(8)
    def read_lesson(self) -> None:
        lesson = random.choice(PLAN["lessons"])  # noqa: S311
        self.get("lesson", lesson["url"])
        if random.random() < 0.3:  # noqa: S311 - some lessons are marked done
            self.follow(self.post("lesson done (POST)", lesson["done"], {}), "lesson (next)")

    @task(2)
    def my_learning(self) -> None:
        self.get("My learning", PLAN["my_learning"])

    @task(1)
    def course(self) -> None:
        self.get("course page", PLAN["course"])

    @task(2)
    def take_quiz(self) -> None:
        quiz = PLAN["quiz"]
        self.get("quiz page", quiz["url"])
        response = self.post("quiz start (POST)", quiz["start"], {"enrol": "1"})
        location = response.headers.get("Location", "")
        if "/" not in location or urlparse(location).path.rstrip("/") == urlparse(quiz["url"]).path.rstrip("/"):
            return  # refused (a message on the quiz page): nothing to take
        attempt_url = urljoin(PLAN["base"], location)
        for _ in range(40):
            page = self.get("quiz question", attempt_url)
            if page.status_code != 200:
                return
            forms = [f for f in forms_of(page.text) if f["method"] == "post"]
            finish = next((f for f in forms if quiz["finish_marker"] in f["action"]), None)
            if finish is not None:
                done = self.post("quiz submit (POST)", urljoin(attempt_url, finish["action"]), {})
                self.follow(done, "quiz results")
                return
            question = next((f for f in forms if any(name == "slot" for _k, name, _v in f["fields"])), None)
            if question is None:
                page.failure("no question form on the attempt page")
                return
            action = urljoin(attempt_url, question["action"] or attempt_url)
            answered = self.post("answer (POST)", action, answers_for(question))
            if "feedback" in answered.headers.get("Location", ""):
                self.follow(answered, "answer feedback")
            time.sleep(random.uniform(0.2, 0.6))  # noqa: S311 - reading the next question


class RisingLoad(LoadTestShape):
    """Stages of rising concurrency; the figures of each stage are written when it ends, then reset."""

    def __init__(self) -> None:
        super().__init__()
        self.current = -1
        self.stage_started = time.time()

    def _dump(self, index: int) -> None:
        stats = self.runner.stats
        users, seconds = STAGES[index]
        elapsed = time.time() - self.stage_started
        pages = {}
        for (name, method), entry in stats.entries.items():
            if entry.num_requests == 0:
                continue
            pages[f"{name}"] = {
                "method": method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "median_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
            }
        total = stats.total
        record = {
            "stage": index,
            "users": users,
            "started": self.stage_started,
            "ended": time.time(),
            "seconds": elapsed,
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p95_ms": total.get_response_time_percentile(0.95) if total.num_requests else None,
            "median_ms": total.get_response_time_percentile(0.5) if total.num_requests else None,
            "pages": pages,
            "errors": [
                {"name": e.name, "error": str(e.error), "occurrences": e.occurrences} for e in stats.errors.values()
            ],
        }
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        stats.reset_all()
        self.stage_started = time.time()

    def tick(self):
        run_time = self.get_run_time()
        boundary = 0
        for index, (users, seconds) in enumerate(STAGES):
            boundary += seconds
            if run_time < boundary:
                if index != self.current:
                    if self.current >= 0:
                        self._dump(self.current)
                    else:
                        self.runner.stats.reset_all()
                        self.stage_started = time.time()
                    self.current = index
                return users, max(users, 1)
        if self.current >= 0:
            self._dump(self.current)
            self.current = -2
        return None
