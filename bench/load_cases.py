"""Locust users for bench/reports.py: logged-in caseworkers and supervisors on the case list and search.

Run by bench/reports.py (which starts the server and writes the users file); by hand:

    HAVEN_BENCH_USERS=users.json .venv/bin/locust -f bench/load_cases.py --headless -u 20 -r 20 -t 60s \
        --host http://127.0.0.1:8000

users.json: {"password": "...", "think": true, "users": [{"username": "...", "kind": "supervisor",
"caseload": 123, "session": "..."}, ...]}; "think": false makes the users loop without pausing.
Each user logs in once, then loops: the case list (first page, sometimes a later one), a search by
name ("nguyen thi", accents left out on purpose, and other common names), and the login page fetched
without the session (the floor: a trivial page through the same server and middleware).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser

_CONFIG = json.loads(open(os.environ["HAVEN_BENCH_USERS"], encoding="utf-8").read())
_ACCOUNTS = itertools.cycle(_CONFIG["users"])
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCHES = ["nguyen thi", "nguyen thi mai", "giang thi", "tran van", "le thi hoa", "vang"]


class CaseWorker(FastHttpUser):
    # A person clicking, not a flood; or, with "think": false, as fast as the server answers.
    wait_time = between(0.5, 1.5) if _CONFIG.get("think", True) else constant(0)

    def on_start(self) -> None:
        account = next(_ACCOUNTS)
        self.account = account
        self.kind = account.get("kind") or account.get("role", "")
        self.anonymous = FastHttpSession(self.host, self.environment.events.request, user=self)
        if account.get("session"):  # signed in already by bench/reports.py
            from requests.cookies import create_cookie

            self.client.cookiejar.set_cookie(create_cookie("sessionid", account["session"], domain="127.0.0.1"))
            return
        page = self.client.get("/accounts/login/", name="(login form)")
        token = _CSRF.search(page.text or "")
        response = self.client.post(
            "/accounts/login/", name="(login)",
            data={"username": account["username"], "password": _CONFIG["password"],
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/accounts/login/"},
        )
        if "/accounts/login" in (response.url or ""):
            raise RuntimeError(f"login failed for {account['username']}")

    @task(4)
    def case_list(self) -> None:
        page = random.choice([1, 1, 1, 2, 3])
        url = "/cases/" if page == 1 else f"/cases/?page={page}"
        with self.client.get(url, name=f"case list: {self.kind}", catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login" in (response.url or ""):
                response.failure(f"status {response.status_code}")

    @task(4)
    def case_search(self) -> None:
        query = random.choice(SEARCHES)
        with self.client.get("/cases/", params={"q": query}, name=f"case search (name): {self.kind}",
                             catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login" in (response.url or ""):
                response.failure(f"status {response.status_code}")

    @task(4)
    def floor(self) -> None:
        self.anonymous.get("/accounts/login/", name="floor: login page (no session)")


@events.quitting.add_listener
def _done(environment, **_kw) -> None:  # type: ignore[no-untyped-def]
    environment.process_exit_code = 0  # failures are in the table; the bench script judges them
