"""Locust users of the deadline-day run (``bench/deadline.py`` starts it; see its docstring).

Read from the environment:

* ``DEADLINE_PLAN``: the JSON plan written by ``bench.deadline`` (campaign, open period,
  password, every officer with their pair ids, the staff usernames);
* ``DEADLINE_RESULTS``: where each officer's outcome is written when locust quits;
* ``DEADLINE_RUN_SECONDS`` and ``DEADLINE_RAMP``: the length of the run and of the ramp,
  which scale the officers' arrival and think times so that they finish within the run.

Officers (one locust user each, exactly as many as in the plan): most use the API
(``POST /api/token/``, their pairs and reports, ``POST /api/reports/``, ``…/submit/``), a
fifth use the pages (login form, report list page, ``report_edit`` form). 30 % edit the
report once before submitting, 20 % submit twice: half of them two submits at once (a
double click), half a retry of the same request after the answer. The second submit must
be refused (400 or 409 on the API, the form again with an error on the page); a second
success is a failure. Staff sign in on the login form and reload the campaign's dashboard
page and the reporting API every 5–15 s.

Every answer is checked; unexpected ones are locust failures with the status and the
start of the body.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.clients import ResponseContextManager

PLAN: dict[str, Any] = json.loads(Path(os.environ["DEADLINE_PLAN"]).read_text(encoding="utf-8"))
RESULTS = os.environ["DEADLINE_RESULTS"]
RUN = float(os.environ.get("DEADLINE_RUN_SECONDS", "600"))
RAMP = float(os.environ.get("DEADLINE_RAMP", "60"))
PERIOD: str = PLAN["period"]
PERIOD_MONTH = PERIOD[:7]
CAMPAIGN: int = PLAN["campaign"]
PASSWORD: str = PLAN["password"]
PAGE_SHARE, EDIT_SHARE, DOUBLE_SHARE = 0.2, 0.3, 0.2
ARRIVAL = max(1.0, RUN * 0.5 - RAMP / 2)  # officers arrive at their desks spread over the first half of the run
THINK = (1.0, max(2.0, RUN / 75))  # seconds between two steps of an officer (filling in a form, reading)
TIMEOUT = 120

_officers: Iterator[int] = itertools.count()
_staff: Iterator[int] = itertools.count()
OUTCOMES: dict[str, dict[str, Any]] = {}
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION_FIELD = re.compile(r'name="version" value="(\d+)"')


def _write_outcomes(**_kwargs: Any) -> None:
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(OUTCOMES, handle)


events.quitting.add_listener(_write_outcomes)  # type: ignore[no-untyped-call]


def figures(rng: random.Random) -> dict[str, Any]:
    return {
        "investment": f"{rng.choice((0, 2, 5, 12.5, 30))}",
        "projects": rng.randint(0, 2),
        "jobs": rng.randint(0, 12),
        "farmer_income": f"{rng.choice((0, 0.5, 1, 2.5))}",
        "collective_income": f"{rng.choice((0, 0.2, 1, 3))}",
        "narrative": f"{date.fromisoformat(PERIOD):%Y年%m月}：结对项目按计划推进，组织村企联席会一次。",
    }


def body(resp: Any) -> str:
    return str(getattr(resp, "text", "") or "")[:300].replace("\n", " ")


def expect(resp: ResponseContextManager, *statuses: int, contains: str | None = None) -> bool:
    """Mark ``resp`` a success if its status is one of ``statuses`` (and its body holds ``contains``)."""
    if resp.status_code in statuses and (contains is None or contains in resp.text):
        resp.success()  # type: ignore[no-untyped-call]
        return True
    resp.failure(  # type: ignore[no-untyped-call]
        f"HTTP {resp.status_code} (expected {'/'.join(map(str, statuses))}): {body(resp)}"
    )
    return False


class _Browser(HttpUser):
    """A browser: sign-in through the login form, then pages with the session cookie."""

    abstract = True

    def page(self, method: str, url: str, **kwargs: Any) -> Any:
        """One request of the browser, redirects not followed, the answer checked by the caller.

        Production cookies are Secure; this run is plain HTTP on the loopback, so they are
        sent anyway (as a browser sends them over the TLS of the reverse proxy).
        """
        for cookie in self.client.cookies:
            cookie.secure = False
        return self.client.request(method, url, allow_redirects=False, catch_response=True, timeout=TIMEOUT, **kwargs)

    def csrf(self, html: str) -> str:
        match = _CSRF_FIELD.search(html)
        return match.group(1) if match else ""

    def page_login(self, username: str, prefix: str) -> bool:
        with self.page("GET", "/accounts/login/", name=f"{prefix}: login form") as resp:
            if not expect(resp, 200):
                return False
            token = self.csrf(resp.text)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
        with self.page("POST", "/accounts/login/", data=form, name=f"{prefix}: sign in") as resp:
            return expect(resp, 302)


class Officer(_Browser):
    """One liaison officer filing and submitting the reports of their 1–3 pairs, once."""

    fixed_count = len(PLAN["officers"])

    def wait_time(self) -> float:
        """No wait between the steps (they think inside the task); once done, idle until the end."""
        return 3600.0 if getattr(self, "done", False) else 0.0

    def on_start(self) -> None:
        number = next(_officers)
        officer = PLAN["officers"][number]
        self.username: str = officer["username"]
        self.pairs: list[int] = officer["pairs"]
        self.rng = random.Random(number)
        self.pages = self.rng.random() < PAGE_SHARE
        self.done = False
        self.outcome: dict[str, Any] = {
            "channel": "page" if self.pages else "api",
            "created": [],
            "submitted": [],
            "edited": 0,
            "duplicates": 0,
            "finished": False,
        }
        OUTCOMES[self.username] = self.outcome
        self.headers: dict[str, str] = {}
        gevent.sleep(self.rng.uniform(0, ARRIVAL))

    def think(self) -> None:
        gevent.sleep(self.rng.uniform(*THINK))

    @task
    def deadline_day(self) -> None:
        if self.done:
            return
        started = time.monotonic()
        if self.pages:
            self.file_on_pages()
        else:
            self.file_through_api()
        self.done = True
        self.outcome["finished"] = len(self.outcome["submitted"]) == len(self.pairs)
        self.outcome["seconds"] = round(time.monotonic() - started, 1)

    # --- the API -----------------------------------------------------------------------------

    def file_through_api(self) -> None:
        with self.client.post(
            "/api/token/",
            json={"username": self.username, "password": PASSWORD},
            name="api: token",
            catch_response=True,
            timeout=TIMEOUT,
        ) as resp:
            if not expect(resp, 200):
                return
            self.headers = {"Authorization": f"Token {resp.json()['token']}"}
        self.think()
        with self.client.get(
            f"/api/pairs/?campaign={CAMPAIGN}",
            headers=self.headers,
            name="api: my pairs",
            catch_response=True,
            timeout=TIMEOUT,
        ) as resp:
            if not expect(resp, 200):
                return
            seen = sorted(row["id"] for row in resp.json()["results"])
            if seen != sorted(self.pairs):
                resp.failure(f"pairs {seen}, appointed to {sorted(self.pairs)}")
                return
        self.my_reports("api: my reports")
        for pair in self.pairs:
            self.think()
            self.api_pair(pair)
        self.think()
        reports = self.my_reports("api: my reports (check)")
        if reports is not None:
            states = {row["pair"]: row["status"] for row in reports}
            if any(states.get(pair) != "submitted" for pair in self.pairs):
                self.outcome["mismatch"] = states

    def my_reports(self, name: str) -> list[dict[str, Any]] | None:
        with self.client.get(
            f"/api/reports/?period={PERIOD}", headers=self.headers, name=name, catch_response=True, timeout=TIMEOUT
        ) as resp:
            if expect(resp, 200):
                return list(resp.json()["results"])
        return None

    def api_pair(self, pair: int) -> None:
        data = {"pair": pair, "period": PERIOD, **figures(self.rng)}
        with self.client.post(
            "/api/reports/",
            json=data,
            headers=self.headers,
            name="api: create report",
            catch_response=True,
            timeout=TIMEOUT,
        ) as resp:
            if not expect(resp, 201):
                return
            report = resp.json()
        self.outcome["created"].append(pair)
        if self.rng.random() < EDIT_SHARE:
            self.think()
            data = {"pair": pair, "period": PERIOD, **figures(self.rng), "version": report["version"]}
            with self.client.post(
                "/api/reports/",
                json=data,
                headers=self.headers,
                name="api: edit report",
                catch_response=True,
                timeout=TIMEOUT,
            ) as resp:
                if not expect(resp, 201):
                    return
                report = resp.json()
            self.outcome["edited"] += 1
        self.think()
        url = f"/api/reports/{report['id']}/submit/"
        version = {"version": report["version"]}
        double = self.rng.random() < DOUBLE_SHARE
        if double and self.rng.random() < 0.5:  # a double click: two submits at once
            answers: list[tuple[str, int, str]] = []
            jobs = [gevent.spawn(self._submit_once, url, version, answers) for _ in range(2)]
            gevent.joinall(jobs)
            self.outcome["duplicates"] += 1
            self._two_submits(pair, answers, "api: submit (double click)")
            return
        with self.client.post(
            url, json=version, headers=self.headers, name="api: submit", catch_response=True, timeout=TIMEOUT
        ) as resp:
            if not expect(resp, 200):
                return
        self.outcome["submitted"].append(pair)
        if double:  # the same request again, as a client retries when the answer seemed lost
            self.outcome["duplicates"] += 1
            with self.client.post(
                url,
                json=version,
                headers=self.headers,
                name="api: submit (retry)",
                catch_response=True,
                timeout=TIMEOUT,
            ) as resp:
                expect(resp, 400, 409)

    def _submit_once(self, url: str, version: dict[str, int], answers: list[tuple[str, int, str]]) -> None:
        with self.client.post(
            url,
            json=version,
            headers=self.headers,
            name="api: submit (double click)",
            catch_response=True,
            timeout=TIMEOUT,
        ) as resp:
            if expect(resp, 200, 400, 409):
                answers.append(("ok" if resp.status_code == 200 else "refused", resp.status_code, body(resp)))

    def _two_submits(self, pair: int, answers: list[tuple[str, int, str]], name: str) -> None:
        """Exactly one of two simultaneous submits succeeds, the other is refused."""
        verdicts = sorted(verdict for verdict, _code, _text in answers)
        if "ok" in verdicts:
            self.outcome["submitted"].append(pair)
        if verdicts == ["ok", "refused"]:
            self.outcome["double_clicks_ok"] = self.outcome.get("double_clicks_ok", 0) + 1
            return
        if len(answers) == 2:  # an answer that was not 200/400/409 is a failure of its own already
            events.request.fire(  # type: ignore[no-untyped-call]
                request_type="CHECK",
                name=name,
                response_time=0,
                response_length=0,
                exception=AssertionError(f"two submits at once answered {answers}"),
                context={},
            )

    # --- the pages ---------------------------------------------------------------------------

    def file_on_pages(self) -> None:
        if not self.page_login(self.username, "page"):
            return
        self.think()
        with self.page("GET", "/pairing/reports/", name="page: my reports") as resp:
            if not expect(resp, 200):
                return
        for pair in self.pairs:
            self.think()
            self.page_pair(pair)

    def report_form(self, url: str) -> tuple[str, str] | None:
        with self.page("GET", url, name="page: report form") as resp:
            if not expect(resp, 200):
                return None
            version = _VERSION_FIELD.search(resp.text)
            return self.csrf(resp.text), version.group(1) if version else "0"

    def post_form(self, url: str, fields: dict[str, Any], name: str, *statuses: int) -> ResponseContextManager | None:
        with self.page("POST", url, data=fields, name=name) as resp:
            ok = expect(resp, *statuses, contains="form-error" if statuses == (200,) else None)
        return resp if ok else None

    def page_pair(self, pair: int) -> None:
        url = f"/pairing/pairs/{pair}/reports/{PERIOD}/"
        shown = self.report_form(url)
        if shown is None:
            return
        token, version = shown
        self.think()
        if self.rng.random() < EDIT_SHARE:
            fields = {**figures(self.rng), "csrfmiddlewaretoken": token, "version": version, "save": ""}
            if self.post_form(url, fields, "page: save draft", 302) is None:
                return
            self.outcome["created"].append(pair)
            self.outcome["edited"] += 1
            self.think()
            shown = self.report_form(url)
            if shown is None:
                return
            token, version = shown
            self.think()
        fields = {**figures(self.rng), "csrfmiddlewaretoken": token, "version": version, "submit": ""}
        double = self.rng.random() < DOUBLE_SHARE
        if double and self.rng.random() < 0.5:  # a double click on the submit button
            answers: list[tuple[str, int, str]] = []
            jobs = [gevent.spawn(self._post_once, url, fields, answers) for _ in range(2)]
            gevent.joinall(jobs)
            self.outcome["duplicates"] += 1
            if pair not in self.outcome["created"]:
                self.outcome["created"].append(pair)
            self._two_submits(pair, answers, "page: submit (double click)")
            return
        resp = self.post_form(url, fields, "page: submit", 302)
        if resp is None:
            return
        if pair not in self.outcome["created"]:
            self.outcome["created"].append(pair)
        self.outcome["submitted"].append(pair)
        with self.page("GET", resp.headers["Location"], name="page: report detail") as shown_resp:
            expect(shown_resp, 200)
        if double:  # back in the browser, submit the same form again: shown again with an error
            self.outcome["duplicates"] += 1
            self.post_form(url, fields, "page: submit again", 200)

    def _post_once(self, url: str, fields: dict[str, Any], answers: list[tuple[str, int, str]]) -> None:
        with self.page("POST", url, data=fields, name="page: submit (double click)") as resp:
            if resp.status_code == 302:
                resp.success()
                answers.append(("ok", 302, ""))
            elif expect(resp, 200, contains="form-error"):  # the form again, with the refusal
                answers.append(("refused", 200, body(resp)))


class Staff(_Browser):
    """County, township and province staff watching the reporting dashboard all along."""

    fixed_count = len(PLAN["staff"])
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.username: str = PLAN["staff"][next(_staff) % len(PLAN["staff"])]
        self.page_login(self.username, "staff")

    @task(2)
    def dashboard_page(self) -> None:
        with self.page(
            "GET", f"/pairing/campaigns/{CAMPAIGN}/dashboard/?period={PERIOD_MONTH}", name="staff: dashboard page"
        ) as resp:
            expect(resp, 200)

    @task(3)
    def reporting_api(self) -> None:
        url = f"/api/dashboard/reporting/?campaign={CAMPAIGN}&period={PERIOD_MONTH}"
        with self.page("GET", url, name="staff: reporting API") as resp:
            expect(resp, 200)
