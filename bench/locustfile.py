"""Load run: demo people browse their work and report progress (run by ``bench/load.sh``).

Each simulated user signs in as one demo person (``TIENDO_LOAD_USERS``: a file of usernames,
one a line, written by ``load.sh`` from the seeded database), then mostly reads (my tasks, the
task list with filters, a task page, the dashboard) and sometimes submits progress on one of
their own tasks. Any answer other than the expected one counts as an error.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("TIENDO_LOAD_PASSWORD", "tiendo-demo-2024")
USERS = [
    line.strip()
    for line in Path(os.environ.get("TIENDO_LOAD_USERS", "/dev/null")).read_text().splitlines()
    if line.strip()
]
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
# Filters a leader actually combines on the task list (values from TaskStatus and the form).
FILTERS = [
    "?status=overdue",
    "?status=in_progress&overdue=no",
    "?overdue=yes&deadline_from=2025-01-01",
    "?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i",
    "?kind=&status=not_started",
]


class DemoPerson(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username = random.choice(USERS)
        self.own_tasks: list[str] = []
        self.seen_tasks: list[str] = []
        self.client.get("/login/", name="/login/ [GET]")
        response = self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            name="/login/ [POST]",
        )
        if response.status_code != 302:
            events.request.fire(
                request_type="LOGIN",
                name="sign-in refused",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"{self.username}: {response.status_code}"),
            )
        self.my_tasks()

    @task(3)
    def my_tasks(self) -> None:
        response = self.client.get("/tasks/mine/", name="/tasks/mine/")
        self.own_tasks = TASK_LINK.findall(response.text) or self.own_tasks

    @task(4)
    def task_list(self) -> None:
        response = self.client.get(
            "/tasks/" + random.choice(FILTERS),
            name="/tasks/?filters",
        )
        self.seen_tasks = TASK_LINK.findall(response.text) or self.seen_tasks

    @task(4)
    def task_page(self) -> None:
        ids = self.seen_tasks or self.own_tasks
        if ids:
            self.client.get(f"/tasks/{random.choice(ids)}/", name="/tasks/<id>/")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboards/", name="/dashboards/")

    @task(1)
    def progress_submit(self) -> None:
        if not self.own_tasks:
            return
        task_id = random.choice(self.own_tasks)
        data: dict[str, Any] = {
            "as_of": dt.date.today().isoformat(),
            "percent": random.randint(0, 100),
            "narrative": "Load run: progress report",
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            f"/tasks/{task_id}/progress/",
            data=data,
            allow_redirects=False,
            catch_response=True,
            name="/tasks/<id>/progress/ [POST]",
        ) as response:
            # 302 back to the task page is success; a 403 means a task on hold or not ours,
            # which the mix avoids by reporting only on "my tasks": anything else is an error.
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"progress submit answered {response.status_code}")
