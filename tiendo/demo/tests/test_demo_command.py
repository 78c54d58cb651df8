"""``tiendo demo`` as a visitor runs it: the real console script in a child process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

TIENDO = Path(sys.executable).with_name("tiendo")


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TIENDO), "demo", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=settings.BASE_DIR,
        check=False,
    )


def demo_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TIENDO_"))}
    return {
        **env,
        "DATABASE_URL": database_url,
        "TIENDO_DATA_DIR": str(tmp_path),
        "TIENDO_LANGUAGE": "en",
    }


def test_demo_fresh_replaces_the_database_then_seeding_again_changes_nothing(
    tmp_path: Path,
) -> None:
    # Given an SQLite file that is not a demo database
    database = tmp_path / "demo.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE leftover (id INTEGER)")
    env = demo_env(tmp_path, f"sqlite:///{database}")

    # When the demo is seeded with --fresh, then seeded again
    fresh = run("--fresh", "--seed-only", env=env)
    again = run("--seed-only", env=env)

    # Then the old file was deleted, the database migrated and seeded once
    assert fresh.returncode == 0, fresh.stderr
    assert "Deleted" in fresh.stdout
    assert "Demo data created" in fresh.stdout
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        programs = db.execute("SELECT count(*) FROM programs_program").fetchone()[0]
        tasks = db.execute("SELECT count(*) FROM programs_task").fetchone()[0]
    assert "leftover" not in tables
    assert (programs, tasks) == (4, 11 + 21 + 9 + 6 + 17 + 46 + 51 + 38 + 6)


def test_fresh_is_refused_on_postgresql_without_yes(tmp_path: Path) -> None:
    # Given a PostgreSQL database (never reached: the refusal comes first)
    env = demo_env(tmp_path, "postgres://nobody@127.0.0.1:1/tiendo_not_there")

    # When --fresh is asked without --yes
    result = run("--fresh", "--seed-only", env=env)

    # Then the command refuses and says how to confirm
    assert result.returncode != 0
    assert "--yes" in result.stderr
