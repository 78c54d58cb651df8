"""No acknowledged write is lost: kill -9 the server during a burst of progress updates.

A real server (gunicorn, 2 workers) runs against its own database, the same kind as the suite's
(SQLite in WAL mode, or PostgreSQL). Eight clients post progress updates through the API as
fast as they can; the server is killed with SIGKILL mid-burst, then started again, and every
update it acknowledged (HTTP 201) must be there, with each task's copied facts matching its
history.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SETUP = """
import datetime as dt, json
from decimal import Decimal
from tiendo.accounts.models import Membership, Role, User
from tiendo.accounts.services import api_token_create
from tiendo.orgs.services import unit_create
from tiendo.programs.services import program_create, task_create
admin = User.objects.create_superuser("crash-admin", password="x-Long-passw0rd-1")
unit = unit_create(code="CRASH", name="Crash unit", kind="province")
Membership.objects.create(user=admin, unit=unit, role=Role.STANDING_OFFICE)
program = program_create(actor=admin, code="crash", name="Crash", owner_unit=unit)
ids = [task_create(actor=admin, program=program, assign=True, title=f"T{i}", lead_unit=unit,
        assignee=admin, accountable_leader=admin, deadline_kind="date", deadline=dt.date(2030, 1, 1),
        product="p", product_quantity=Decimal(1), product_unit="u").pk for i in range(8)]
print(json.dumps({"token": api_token_create(user=admin, name="crash")[1], "tasks": ids}))
"""
CHECK = """
import json
from tiendo.programs.models import ProgressUpdate, Task
from tiendo.programs.services import progress_facts
bad = []
for task in Task.objects.all():
    history = list(task.updates.values_list("as_of", "id", "percent"))
    facts = progress_facts(history)
    if any(getattr(task, k) != v for k, v in facts.items()):
        bad.append(task.pk)
print(json.dumps({"narratives": list(ProgressUpdate.objects.values_list("narrative", flat=True)), "bad": bad}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
            return server
        except OSError:  # refused while starting, or slow to answer its first request
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


@pytest.fixture
def crash_env(tmp_path: Path):
    suite_db = dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite:///x"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "TIENDO_DEBUG": "0",
        "TIENDO_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    pg_name = None
    if suite_db["ENGINE"].endswith("postgresql"):
        pg_name = f"tiendo_crash_{uuid.uuid4().hex[:8]}"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {pg_name}"], check=True
        )
        env["DATABASE_URL"] = f"{base}/{pg_name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, cwd=ROOT, check=True
    )
    yield env
    if pg_name:
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        subprocess.run(
            ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"],
            check=False,
        )


def test_every_acknowledged_update_survives_kill_9(crash_env: dict[str, str]) -> None:
    setup = json.loads(django(crash_env, SETUP))
    port = free_port()
    server = start_server(crash_env, port)
    acked: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            narrative = f"w{worker}-n{n}"
            task = setup["tasks"][(worker + n) % len(setup["tasks"])]
            body = json.dumps(
                {"as_of": "2024-06-01", "percent": (n * 7) % 101, "narrative": narrative}
            ).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/tasks/{task}/progress",
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {setup['token']}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status == 201:
                        with lock:
                            acked.append(narrative)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if stop.is_set():
                    return
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    # Let the burst run, then kill the server without warning in the middle of it
    deadline = time.monotonic() + 60
    while len(acked) < 120 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for t in threads:
        t.join(timeout=15)
    assert len(acked) >= 20, f"too few writes acknowledged before the kill ({len(acked)})"

    # Restart, and check every acknowledged update is stored and every task is consistent
    server = start_server(crash_env, port)
    try:
        state = json.loads(django(crash_env, CHECK))
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    stored = set(state["narratives"])
    missing = [n for n in acked if n not in stored]
    print(f"acknowledged={len(acked)} stored={len(stored)} missing={len(missing)}")
    assert missing == []
    assert state["bad"] == []
