"""Backup and restore of the whole instance: the database, uploaded files and the audit head.

A backup is one ``.tar.gz`` holding ``manifest.json``, ``database.sqlite3`` (SQLite, copied with
SQLite's online backup API, consistent while the server runs) or ``database.pgdump``
(PostgreSQL, ``pg_dump --format=custom``), ``media/`` and ``audit-head.json``. The audit
sealing key is deliberately NOT in the backup: it is kept apart from the data it protects.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(output: Path) -> dict[str, Any]:
    """Write a backup to ``output`` and return its manifest."""
    db = connection.settings_dict
    vendor = connection.vendor
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "vendor": vendor,
    }
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        elif vendor == "postgresql":
            args, env = _pg_env(db)
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(dump),
                    *args,
                    db["NAME"],
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        else:
            raise RuntimeError(f"backup does not support the {vendor} database")
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname="media")
            from tiendo.audit.services import head_file

            if head_file().exists():
                tar.add(head_file(), arcname="audit-head.json")
            _add_file(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        path = Path(m.name)
        if path.is_absolute() or ".." in path.parts or not (m.isfile() or m.isdir()):
            raise ValueError(f"unsafe entry in backup: {m.name}")
        members.append(m)
    return members


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and uploaded files with those of ``archive``."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, members=_safe_members(tar))  # noqa: S202 - members checked above
        root = Path(tmp)
        manifest = json.loads((root / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"unknown backup format {manifest.get('format')}")
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise ValueError(f"this backup is of a {manifest['vendor']} database, not {vendor}")
        db = connection.settings_dict
        if vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(root / "database.sqlite3")
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connections.close_all()
            args, env = _pg_env(db)
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    db["NAME"],
                    *args,
                    str(root / "database.pgdump"),
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        media = Path(settings.MEDIA_ROOT)
        if (root / "media").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(root / "media", media)
        if (root / "audit-head.json").exists():
            from tiendo.audit.services import head_file

            head_file().parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / "audit-head.json", head_file())
    return manifest
