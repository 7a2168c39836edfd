"""`make bench-load`: the signed-in pages under load, on the production stack (issue 12).

It prepares a fresh database for each pass (PostgreSQL, and the embedded
default on SQLite), both at once: migrate, load_esco, seed_demo,
publish_statement, grow_demo to 10,000 candidates in organisation A. Then,
one pass at a time, it starts gunicorn with
three sync workers on 127.0.0.1, signs in as alice, bob, carla and dave
through the login form, and loads every page of the list in PAGES at each
concurrency with the closed-loop generator in loadgen.py. It prints a table
per database and writes it into docs/performance.md, which explains the
method and the goal. Everything it starts is stopped again, also on Ctrl-C or
an error; the PostgreSQL database and the Redis database it used are emptied.

Settings (environment variables, with their defaults):

    BENCH_LOAD_DATABASES    postgres,sqlite   which passes to run
    BENCH_LOAD_CONCURRENCY  10,50             closed-loop workers per measurement
    BENCH_LOAD_SECONDS      3                 measured seconds per row
    BENCH_LOAD_WARMUP       1                 unmeasured seconds before each row
    BENCH_LOAD_PROCESSES    2                 generator processes
    BENCH_LOAD_CANDIDATES   10000             candidates in organisation A
    BENCH_LOAD_PAGES        (all)             regular expression on the page labels
    BENCH_LOAD_BUDGET       1080              seconds; rows that would end later are skipped
    BENCH_LOAD_POSTGRES     postgres://postgres@127.0.0.1:5432   server (database passend_bench)
    BENCH_LOAD_REDIS        redis://127.0.0.1:6379/13            cache (this database is flushed)
    BENCH_LOAD_DOCS         1                 0: do not write docs/performance.md
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.load import loadgen, report  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
DB_NAME = "passend_bench"
PASSWORD = "passend-demo-2026"  # the published demo password (passend.demo.personas)
WORKERS = 3
SETTLE = 180  # seconds to wait for a page before the load, or for the backlog after it


def setting(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_LOAD_{name}", default)


@dataclass(frozen=True)
class Page:
    label: str
    who: str | None  # persona signed in, "api" for bob's token, None for anonymous
    path: str
    kind: str  # baseline, public, signed-in
    # Why the page misses the goal, where it does (measured, docs/performance.md
    # "Where the time goes"): printed under the table for every missed row.
    why: str = ""


# {carla} and {rich}: the profile ids of carla and of the grown candidate
# with a two-year history; {jobs}: organisation A's public job pages, {job}
# one published demo vacancy there; {pipeline}: the demo vacancy with
# applicants, {application} one of them, {proposal} carla's proposal to
# answer. Later features add their pages here.
PATH_FACTS = ("carla", "rich", "jobs", "job", "pipeline", "application", "proposal")
PAGES = [
    Page("baseline: /health/ (anonymous)", None, "/health/", report.BASELINE),
    Page(
        "login page (anonymous)",
        None,
        "/accounts/login/",
        report.PUBLIC,
        why=(
            "this run's machine answers /health/ at about 1,280/s, the run of 7 December "
            "17:07 at 2,283/s; against that baseline the page is as quick as when it met "
            "500/s"
        ),
    ),
    Page(
        "/privacy/ (anonymous)",
        None,
        "/privacy/",
        report.PUBLIC,
        why=(
            "131 KB of statement per answer (the text is kept per version and language, "
            "the bytes still have to go out); at the edge of 500/s"
        ),
    ),
    Page(
        "public job list (anonymous)",
        None,
        "/jobs/",
        report.PUBLIC,
        why=(
            "this run's machine answers /health/ at about 1,280/s, the run of 7 December "
            "17:07 at 2,283/s; against that baseline the page is as quick as when it met "
            "500/s"
        ),
    ),
    Page(
        "a public job (anonymous)",
        None,
        "/jobs/{jobs}/{job}/",
        report.PUBLIC,
        why=(
            "one query for the vacancy (its text and JobPosting data come from the "
            "cache) and the shared layout: at the edge of 500/s, like the login page"
        ),
    ),
    Page(
        "apply to a public job (anonymous)",
        None,
        "/jobs/{jobs}/{job}/apply/",
        report.PUBLIC,
        why=(
            "the form with its file field and the statement version (2 queries) and the "
            "shared layout; like the login page, at about a quarter of the baseline"
        ),
    ),
    Page(
        "alice: home (admin)",
        "alice",
        "/",
        report.SIGNED_IN,
        why=(
            "the organisation at a glance: members per role, invitations, employers and "
            "privacy requests due (eleven queries, about 15 ms)"
        ),
    ),
    Page(
        "bob: home (advisor)",
        "bob",
        "/",
        report.SIGNED_IN,
        why=(
            "four dashboard queries and a caseload window with three subqueries per "
            "row, about 20 ms of ORM and template work"
        ),
    ),
    Page(
        "bob: caseload",
        "bob",
        "/coaching/caseload/",
        report.SIGNED_IN,
        why=(
            "25 rows with ten correlated subqueries each (current trajectory, next "
            "appointment, task counts, last activity over four tables): building and "
            "compiling the query is about 10 ms, drawing the rows and filters another"
            " 10"
        ),
    ),
    Page(
        "bob: candidate list",
        "bob",
        "/candidates/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared "
            "layout cost about 6 ms of a signed-in page before its own work; the 25 "
            "rows and their search form about 5 ms more"
        ),
    ),
    Page(
        "bob: carla's page",
        "bob",
        "/candidates/{carla}/",
        report.SIGNED_IN,
        why="twelve profile sections, each its own query and window (21 queries, about 30 ms)",
    ),
    Page(
        "bob: carla's coaching",
        "bob",
        "/coaching/candidates/{carla}/",
        report.SIGNED_IN,
        why=(
            "windows on trajectories, plans, tasks, appointments, notes and the "
            "timeline (19 queries, about 30 ms)"
        ),
    ),
    Page(
        "bob: rich history, page",
        "bob",
        "/candidates/{rich}/",
        report.SIGNED_IN,
        why="as carla's page: twelve sections, each its own query; a long history adds no rows",
    ),
    Page(
        "bob: rich history, coaching",
        "bob",
        "/coaching/candidates/{rich}/",
        report.SIGNED_IN,
        why="as carla's coaching; a long history adds no rows, only fuller windows",
    ),
    Page(
        "bob: notifications",
        "bob",
        "/notifications/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared "
            "layout cost about 6 ms of a signed-in page before its own work"
        ),
    ),
    Page(
        "carla: home (candidate)",
        "carla",
        "/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared "
            "layout cost about 6 ms of a signed-in page before its own work; her "
            "tasks, trajectory and next appointment, four queries more"
        ),
    ),
    Page(
        "carla: her profile",
        "carla",
        "/candidates/me/",
        report.SIGNED_IN,
        why="twelve profile sections, each its own query (21 queries, about 30 ms)",
    ),
    Page(
        "carla: her coaching",
        "carla",
        "/coaching/me/",
        report.SIGNED_IN,
        why=(
            "windows on her trajectories, plan, tasks, appointments, notes and "
            "timeline (19 queries)"
        ),
    ),
    Page(
        "carla: /my-data/",
        "carla",
        "/my-data/",
        report.SIGNED_IN,
        why=(
            "every kind of data kept about her, 39 kinds in one page (75 queries, "
            "decrypting each value shown, about 150 ms): a page a person opens now "
            "and then, not one to serve 200 times a second"
        ),
    ),
    Page(
        "carla: /privacy/",
        "carla",
        "/privacy/",
        report.PUBLIC,
        why=(
            "signed in, the statement page also shows which version she confirmed and "
            "costs what every signed-in page costs; 500/s is the goal for visitors"
        ),
    ),
    Page(
        "dave: vacancies",
        "dave",
        "/vacancies/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared layout "
            "before the page's own 7 queries; met 200/s on the faster machine of the last "
            "run"
        ),
    ),
    Page(
        "dave: a pipeline",
        "dave",
        "/vacancies/{pipeline}/applications/",
        report.SIGNED_IN,
        why=(
            "the board's own work on top of a signed-in page: the stages, the applications "
            "with their notes counted, their documents (10 queries) and a move form per "
            "card (17 KB)"
        ),
    ),
    Page(
        "dave: an application",
        "dave",
        "/vacancies/applications/{application}/",
        report.SIGNED_IN,
        why=(
            "the application with its documents, history, notes and interview besides the "
            "signed-in layout; it met 200/s on the faster machine of the 17:07 run"
        ),
    ),
    Page(
        "bob: propose a candidate",
        "bob",
        "/vacancies/{pipeline}/propose/",
        report.SIGNED_IN,
        why=(
            "20 suggestions by name from 10,000 candidates, each checked against "
            "restrictions and objections in the same query (NOT EXISTS), besides the "
            "signed-in layout"
        ),
    ),
    Page(
        "alice: pipeline stages",
        "alice",
        "/vacancies/stages/",
        report.SIGNED_IN,
        why=(
            "the signed-in layout plus the stages and a form per stage (6 queries): a page "
            "an admin opens now and then"
        ),
    ),
    Page(
        "carla: my applications",
        "carla",
        "/vacancies/applications/",
        report.SIGNED_IN,
        why=(
            "each application with its history and interview, the proposals waiting and the"
            " keep question's signed link (about a dozen queries)"
        ),
    ),
    Page(
        "carla: a proposal",
        "carla",
        "/vacancies/proposals/{proposal}/",
        report.SIGNED_IN,
        why=(
            "the vacancy with its skills and the documents she may include (9 queries) "
            "besides the signed-in layout"
        ),
    ),
    Page(
        "bob: candidates who may fit",
        "bob",
        "/matching/vacancies/{pipeline}/",
        report.SIGNED_IN,
        why=(
            "scores every candidate of the organisation (10,000) on eight signals, checks the "
            "best 100 against the restriction gate, explains the best 20 and writes them to "
            "the ranking log (AI Act): a ranking an advisor asks for, not a page read in a loop"
        ),
    ),
    Page(
        "bob: vacancies that fit carla",
        "bob",
        "/matching/candidates/{carla}/",
        report.SIGNED_IN,
        why="ranks the open vacancies for carla, explains them and writes the ranking log",
    ),
    Page(
        "carla: vacancies for you",
        "carla",
        "/matching/for-you/",
        report.SIGNED_IN,
        why="ranks the open vacancies for carla, explains them and writes the ranking log",
    ),
    Page(
        "carla: my wishes for work",
        "carla",
        "/matching/for-you/wishes/",
        report.SIGNED_IN,
        why=(
            "the signed-in layout plus three occupation comboboxes; on this run's machine "
            "the signed-in pages of the same weight (dave's home, shared profiles) measured "
            "about 100/s as well"
        ),
    ),
    Page(
        "carla: fill in from a CV",
        "carla",
        "/cv-import/candidates/{carla}/",
        report.SIGNED_IN,
        why=(
            "an upload form and the signed-in layout: as quick as the lightest signed-in "
            "pages of this run's machine (dave's shared profiles about 105/s)"
        ),
    ),
    Page(
        "dave: home (employer)",
        "dave",
        "/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared "
            "layout cost about 6 ms of a signed-in page before its own work"
        ),
    ),
    Page(
        "dave: shared profiles",
        "dave",
        "/candidates/shared/",
        report.SIGNED_IN,
        why=(
            "session, user, memberships, transaction, unread count and the shared "
            "layout cost about 6 ms of a signed-in page before its own work"
        ),
    ),
    Page(
        "API: candidate list (bob)",
        "api",
        "/api/v1/candidates",
        report.SIGNED_IN,
        why="token check, membership and transaction before the page of 50",
    ),
    Page(
        "API: caseload (bob)",
        "api",
        "/api/v1/coaching/caseload",
        report.SIGNED_IN,
        why="the caseload's query for 50 rows: ten correlated subqueries per row",
    ),
]


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------- services


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def redis_command(url: str, *args: str) -> bytes:
    """One command to Redis (RESP over a socket): enough for PING and FLUSHDB."""
    parts = urllib.parse.urlsplit(url)
    database = (parts.path or "/0").strip("/") or "0"
    with socket.create_connection((parts.hostname or HOST, parts.port or 6379), 5) as sock:
        answer = b""
        for command in (("SELECT", database), args):
            payload = f"*{len(command)}\r\n".encode()
            for arg in command:
                payload += f"${len(arg.encode())}\r\n{arg}\r\n".encode()
            sock.sendall(payload)
            answer = sock.recv(1024)
            if answer.startswith(b"-"):
                raise BenchError(f"Redis said {answer.decode(errors='replace').strip()}")
        return answer


def postgres(url: str, *statements: str) -> list[Any]:
    import psycopg

    rows: list[Any] = []
    with psycopg.connect(f"{url}/postgres", autocommit=True, connect_timeout=5) as connection:
        for statement in statements:
            cursor = connection.execute(statement.encode())
            if cursor.description:
                rows.extend(cursor.fetchall())
    return rows


@dataclass
class Stack:
    """One pass: a database, its settings, and the gunicorn serving it."""

    name: str
    env: dict[str, str]
    workdir: Path
    scheme: str  # what the app believes the request came in over
    port: int = 0
    server: subprocess.Popen[bytes] | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def manage(self, *args: str, label: str) -> str:
        started = time.monotonic()
        with open(self.workdir / "prepare.log", "ab") as out:
            child = subprocess.Popen(
                [PYTHON, "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=out,
                stdin=subprocess.DEVNULL,
            )
            self.children.append(child)
            stdout, _ = child.communicate()
            self.children.remove(child)
            out.write(stdout)
        if child.returncode:
            raise BenchError(
                f"{self.name}: {label} failed (exit {child.returncode}); "
                f"see {self.workdir / 'prepare.log'}"
            )
        log(f"  {self.name + ':':<27} {label:<32} {time.monotonic() - started:6.1f} s")
        return stdout.decode()

    def start(self) -> None:
        self.port = free_port()
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--bind={HOST}:{self.port}",
            "--log-level=warning",
            f"--error-logfile={self.workdir / 'gunicorn.log'}",
            "--timeout=60",
        ]
        with open(self.workdir / "gunicorn.log", "ab") as output:
            self.server = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise BenchError(f"gunicorn stopped; see {self.workdir / 'gunicorn.log'}")
            try:
                status, _, _ = self.request("GET", "/health/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError("gunicorn did not answer /health/ within 60 s")

    def stop(self) -> None:
        for child in list(self.children):
            child.kill()
            child.wait()
        if self.server is None or self.server.poll() is not None:
            self.server = None
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(5)
        self.server = None

    def base_headers(self) -> dict[str, str]:
        return {"X-Forwarded-Proto": self.scheme}

    def settle(self) -> None:
        """Wait (at most SETTLE seconds) until gunicorn has worked off its backlog."""
        try:
            self.request("GET", "/health/", timeout=SETTLE)
        except OSError:
            log(f"  (the server still had a backlog after {SETTLE} s)")

    def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: str = "",
        timeout: float = 60,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(
                method, path, body=body or None, headers={**self.base_headers(), **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def sign_in(self, email: str, organisation_id: str) -> str:
        """Through allauth's login form, with its CSRF token, then working in
        `organisation_id` (bob works in two); returns the Cookie header."""
        cookies: dict[str, str] = {}

        def keep(headers: http.client.HTTPMessage) -> None:
            for raw in headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(raw)
                cookies.update({name: morsel.value for name, morsel in jar.items()})

        def cookie_header() -> str:
            return "; ".join(f"{name}={value}" for name, value in cookies.items())

        status, headers, body = self.request("GET", "/accounts/login/")
        keep(headers)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or match is None:
            raise BenchError(f"login page: HTTP {status}, no CSRF token")
        origin = f"{self.scheme}://{HOST}:{self.port}"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "login": email, "password": PASSWORD}
        )
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            headers={
                "Cookie": cookie_header(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
            body=form,
        )
        keep(headers)
        if status != 302:
            raise BenchError(f"signing in as {email}: HTTP {status} instead of a redirect")
        csrf = next((v for k, v in cookies.items() if k.endswith("csrftoken")), "")
        status, headers, _ = self.request(
            "POST",
            "/organisations/switch/",
            headers={
                "Cookie": cookie_header(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/",
            },
            body=urllib.parse.urlencode(
                {"csrfmiddlewaretoken": csrf, "organisation": organisation_id, "next": "/"}
            ),
        )
        keep(headers)
        if status != 302:
            raise BenchError(f"{email} could not switch to organisation A: HTTP {status}")
        status, _, _ = self.request("GET", "/", headers={"Cookie": cookie_header()})
        if status != 200:
            raise BenchError(f"{email} is not signed in after the login form: HTTP {status}")
        return cookie_header()


def base_env() -> dict[str, str]:
    """Production settings with throw-away secrets: nothing here protects real data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PASSEND_"))}
    env.pop("DATABASE_URL", None)
    env.pop("CACHE_URL", None)
    env.update(
        {
            "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(60),
            "PASSEND_MASTER_KEYS": "bench-1:" + base64.b64encode(os.urandom(32)).decode(),
            "PASSEND_ACTIVE_MASTER_KEY": "bench-1",
            "PASSEND_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
            # Nothing leaves the machine: no mail, tasks run in the process.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            # The API's per-person limit (600/min) would answer 429 to a load test.
            "PASSEND_API_RATE_LIMIT": "100000000/m",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def postgres_stack(workdir: Path) -> Stack:
    server = setting("POSTGRES", "postgres://postgres@127.0.0.1:5432")
    redis = setting("REDIS", "redis://127.0.0.1:6379/13")
    env = base_env()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": f"{server}/{DB_NAME}",
            "CACHE_URL": redis,
        }
    )
    version = postgres(server, "SHOW server_version")[0][0]
    postgres(
        server, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}"
    )
    redis_command(redis, "FLUSHDB")
    stack = Stack("PostgreSQL", env, workdir, scheme="https")
    stack.facts = {"database": f"PostgreSQL {version}", "cache": f"Redis ({redis})"}
    return stack


def sqlite_stack(workdir: Path) -> Stack:
    env = base_env()
    env.update(
        {
            # `make run`'s settings (SQLite file, in-process cache), with DEBUG off.
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{workdir / 'passend.sqlite3'}",
        }
    )
    import sqlite3

    stack = Stack("SQLite (embedded default)", env, workdir, scheme="http")
    stack.facts = {
        "database": f"SQLite {sqlite3.sqlite_version} file (WAL)",
        "cache": "in-process (local memory)",
    }
    return stack


def cleanup(stack: Stack) -> None:
    stack.stop()
    if stack.name == "PostgreSQL":
        try:
            postgres(
                setting("POSTGRES", "postgres://postgres@127.0.0.1:5432"),
                f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)",
            )
            redis_command(setting("REDIS", "redis://127.0.0.1:6379/13"), "FLUSHDB")
        except Exception as error:  # the run's result matters more than the tidy-up
            log(f"  (tidying up: {error})")


# ---------------------------------------------------------------- a pass


def prepare(stack: Stack, candidates: int) -> dict[str, Any]:
    stack.manage("migrate", "--no-input", "-v", "0", label="migrate")
    if stack.env["DJANGO_SETTINGS_MODULE"].endswith("production"):
        stack.manage("collectstatic", "--no-input", "-v", "0", label="collectstatic")
    stack.manage("load_esco", label="load_esco")
    stack.manage("seed_demo", label="seed_demo")
    stack.manage("publish_statement", label="publish_statement")
    stack.manage(
        "grow_demo", f"--candidates={candidates}", label=f"grow_demo --candidates {candidates}"
    )
    # The matching index of the grown candidates, as its background job leaves it.
    stack.manage("match_index", label="match_index")
    out = stack.manage(
        "shell",
        "-c",
        "from benchmarks.load.fixtures import main; main()",
        label="API token and ids",
    )
    return dict(json.loads(out.strip().splitlines()[-1]))


def run_pass(stack: Stack, config: dict[str, Any], deadline: float) -> list[report.Row]:
    facts = stack.facts
    stack.start()
    log(f"== {stack.name}: gunicorn ({WORKERS} sync workers) on {HOST}:{stack.port}")
    personas = ("alice", "bob", "carla", "dave")
    cookies = {
        who: stack.sign_in(f"{who}@passend.test", facts["organisation_id"]) for who in personas
    }
    stack.facts["load_before"] = os.getloadavg()
    rows: list[report.Row] = []
    row_seconds = config["seconds"] + config["warmup"] + 0.6
    baseline: dict[int, float] = {}
    for page in config["pages"]:
        path = page.path.format(**{key: facts.get(key, "none") for key in PATH_FACTS})
        headers = dict(stack.base_headers())
        if page.who == "api":
            headers["Authorization"] = f"Bearer {facts['token']}"
        elif page.who is not None:
            headers["Cookie"] = cookies[page.who]
        try:
            status, _, body = stack.request("GET", path, headers=headers, timeout=SETTLE)
            answer = f"HTTP {status}"
        except OSError as error:
            status, body, answer = 0, b"", type(error).__name__
        for concurrency in config["concurrency"]:
            row = report.Row(
                stack.name, page.label, page.path, page.kind, concurrency, why=page.why
            )
            rows.append(row)
            if status != 200:
                row.note = f"skipped: answers {answer} before the load"
                continue
            if time.monotonic() + row_seconds > deadline:
                row.note = "skipped: time budget (BENCH_LOAD_BUDGET)"
                continue
            target = loadgen.Target(HOST, stack.port, path, tuple(headers.items()))
            row.result = loadgen.run(
                target,
                concurrency=concurrency,
                seconds=config["seconds"],
                warmup=config["warmup"],
                processes=config["processes"],
            )
            # The requests still queued in gunicorn's backlog when the window
            # closed are served before the next row starts.
            stack.settle()
            if page.kind == report.BASELINE:
                baseline[concurrency] = row.result.rps
            row.baseline_rps = baseline.get(concurrency)
            log("  " + report.progress_line(row, len(body)))
    stack.facts["load_after"] = os.getloadavg()
    return rows


def machine() -> dict[str, str]:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    gunicorn = subprocess.run(
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "gunicorn": gunicorn.replace("gunicorn (version ", "").rstrip(")"),
    }


def main() -> int:
    started = time.monotonic()
    databases = [d.strip() for d in setting("DATABASES", "postgres,sqlite").split(",") if d.strip()]
    pattern = re.compile(setting("PAGES", ""))
    pages = [p for p in PAGES if p.kind == report.BASELINE or pattern.search(p.label)]
    config: dict[str, Any] = {
        "concurrency": [int(c) for c in setting("CONCURRENCY", "10,50").split(",")],
        "seconds": float(setting("SECONDS", "3")),
        "warmup": float(setting("WARMUP", "1")),
        "processes": int(setting("PROCESSES", "2")),
        "candidates": int(setting("CANDIDATES", "10000")),
        "pages": pages,
    }
    deadline = started + float(setting("BUDGET", "1080"))
    log("The generator's ceiling (a server that answers a fixed 200 and closes):")
    ceiling = loadgen.ceiling(concurrency=10, seconds=2.0, processes=config["processes"])
    log(f"  {ceiling.rps:,.0f} requests/s at concurrency 10, p99 {ceiling.p99:.1f} ms")
    passes: list[tuple[Stack, list[report.Row]]] = []
    makers = {"postgres": postgres_stack, "sqlite": sqlite_stack}
    unknown = set(databases) - set(makers)
    if unknown:
        raise BenchError(f"BENCH_LOAD_DATABASES: unknown database(s) {sorted(unknown)}")
    stacks: list[Stack] = []
    pool = ThreadPoolExecutor(max(1, len(databases)))
    try:
        for name in databases:
            stacks.append(makers[name](Path(tempfile.mkdtemp(prefix=f"bench-load-{name}-"))))
        # The databases are prepared side by side (before any load is measured).
        log(
            "\nPreparing the data (logs: "
            + ", ".join(str(s.workdir / "prepare.log") for s in stacks)
            + ")"
        )
        futures = [pool.submit(prepare, stack, config["candidates"]) for stack in stacks]
        for stack, future in zip(stacks, futures, strict=True):
            stack.facts.update(future.result())
        pool.shutdown()  # no idle threads left when the generator forks
        for stack in stacks:
            log(f"\n== {stack.name}")
            rows = run_pass(stack, config, deadline)
            stack.stop()
            passes.append((stack, rows))
            log("\n" + report.table(stack.name, rows))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        for stack in stacks:
            cleanup(stack)
            shutil.rmtree(stack.workdir, ignore_errors=True)
    details = {
        **machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "ceiling": f"{ceiling.rps:,.0f}",
        "seconds": f"{config['seconds']:g}",
        "warmup": f"{config['warmup']:g}",
        "processes": str(config["processes"]),
        "total": f"{time.monotonic() - started:.0f}",
    }
    document = report.markdown(details, passes)
    if setting("DOCS", "1") != "0" and passes:
        report.write_docs(ROOT / "docs" / "performance.md", document)
        log("\nWritten to docs/performance.md.")
    log(f"Total time: {time.monotonic() - started:.0f} s.")
    return 0


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # `kill` stops it as Ctrl-C does: through the finally blocks that stop gunicorn.
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("\nInterrupted; everything this run started is stopped.")
        sys.exit(130)
    except BenchError as error:
        log(f"\nbench-load: {error}")
        sys.exit(1)
