"""The shared warehouse: published dataset versions as Parquet files, queried through DuckDB.

Layout (``settings.DATA_DIR / "warehouse"``)::

    <dataset code>/version=<n>/                   one directory per published version, never changed
        <partition field>=<value>/data_0.parquet  when the dataset declares a partition field
        data_0.parquet                            otherwise
        _manifest.json                            files, their SHA-256, row count, columns

A version is written into a hidden temporary directory next to its final place and renamed when
complete, so a reader sees either the whole version or none of it, and a failed write leaves
nothing behind. The partition column is also kept inside the files (``WRITE_PARTITION_COLUMNS``)
so reading a version never depends on Hive type guessing (a commune code ``00123`` stays text).

Start here: ``write_version`` (files only, no database); the lineage row and its audit entry are
written by ``publication_create`` in ``services_warehouse.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.conf import settings
from django.utils.translation import gettext as _

# Dataset codes name directories and, in the SQL console, tables: one safe shape for both.
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
MANIFEST = "_manifest.json"


class WarehouseError(Exception):
    """A version could not be written; nothing was left in the warehouse."""


@dataclass(frozen=True)
class WrittenVersion:
    path: Path
    row_count: int
    checksum: str
    files: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    partition_by: str


def warehouse_root() -> Path:
    """``TIENDO_WAREHOUSE_DIR``, by default ``DATA_DIR / "warehouse"``."""
    configured = getattr(settings, "TIENDO_WAREHOUSE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "warehouse"


def check_code(code: str) -> str:
    if not CODE_RE.match(code):
        raise WarehouseError(
            _(
                "“%(code)s” cannot name a warehouse table: use lower-case letters, digits and "
                "underscores, starting with a letter."
            )
            % {"code": code}
        )
    return code


def version_dir(dataset_code: str, version: int, *, root: Path | None = None) -> Path:
    return (root or warehouse_root()) / check_code(dataset_code) / f"version={int(version)}"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parquet_scan(path: Path) -> str:
    """The DuckDB expression that reads one published version (every file below it)."""
    return f"read_parquet({quote_literal(str(path) + '/**/*.parquet')}, hive_partitioning = false)"


def write_version(
    *,
    source_sql: str,
    dataset_code: str,
    version: int,
    partition_by: str = "",
    root: Path | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
    directory_name: str = "",
) -> WrittenVersion:
    """Write the rows of ``source_sql`` (a DuckDB query) as version ``version`` of the dataset.

    Refuses to overwrite a version that exists: a published version is immutable, a new
    publication is a new version. ``directory_name`` replaces ``version=<n>`` (see
    ``services_warehouse.publication_create``: a directory no publication owns is left alone).
    """
    final = version_dir(dataset_code, version, root=root)
    if directory_name:
        final = final.with_name(directory_name)
    if final.exists():
        raise WarehouseError(
            _("Version %(version)d of “%(code)s” is already in the warehouse.")
            % {"version": version, "code": dataset_code}
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.parent / f".tmp-version={int(version)}-{uuid.uuid4().hex}"
    con = connection or duckdb.connect(":memory:")
    try:
        columns = tuple(
            (str(row[0]), str(row[1]))
            for row in con.execute(f"DESCRIBE SELECT * FROM ({source_sql}\n)").fetchall()  # noqa: S608 -- server-built SQL
        )
        names = [c for c, _t in columns]
        if partition_by and partition_by not in names:
            raise WarehouseError(
                _("The partition field “%(field)s” is not a column of the dataset (%(columns)s).")
                % {"field": partition_by, "columns": ", ".join(names)}
            )
        options = "FORMAT parquet, COMPRESSION zstd"
        if partition_by:
            options += f", PARTITION_BY ({quote_ident(partition_by)}), WRITE_PARTITION_COLUMNS true"
            target = temp
        else:
            temp.mkdir()
            target = temp / "data_0.parquet"
        con.execute(
            f"COPY (SELECT * FROM ({source_sql}\n)) TO {quote_literal(str(target))} ({options})"  # noqa: S608
        )
        if not temp.exists():  # a partitioned COPY of zero rows creates no directory
            temp.mkdir()
        files = tuple(
            sorted(p.relative_to(temp).as_posix() for p in temp.rglob("*.parquet") if p.is_file())
        )
        row_count = 0
        if files:
            counted = con.execute(f"SELECT count(*) FROM {parquet_scan(temp)}").fetchone()  # noqa: S608
            row_count = int(counted[0]) if counted else 0
        checksum, per_file = _checksum(temp, files)
        manifest = {
            "dataset": dataset_code,
            "version": int(version),
            "row_count": row_count,
            "checksum": checksum,
            "partition_by": partition_by,
            "columns": [list(c) for c in columns],
            "files": per_file,
        }
        (temp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        _fsync_tree(temp)
        os.rename(temp, final)  # atomic on one file system; fails if ``final`` appeared meanwhile
    except (duckdb.Error, OSError) as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise WarehouseError(
            _("The version could not be written to the warehouse: %(error)s") % {"error": error}
        ) from error
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        if connection is None:
            con.close()
    return WrittenVersion(
        path=final,
        row_count=row_count,
        checksum=checksum,
        files=files,
        columns=columns,
        partition_by=partition_by,
    )


def _checksum(directory: Path, files: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """SHA-256 of each file, and one over the sorted (name, digest) list: the version's checksum."""
    per_file: dict[str, str] = {}
    whole = hashlib.sha256()
    for name in files:
        digest = hashlib.sha256()
        with (directory / name).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        per_file[name] = digest.hexdigest()
        whole.update(f"{name}\0{per_file[name]}\n".encode())
    return whole.hexdigest(), per_file


def _fsync_tree(directory: Path) -> None:
    for path in [*directory.rglob("*"), directory]:
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def read_manifest(path: Path) -> dict[str, object]:
    return json.loads((path / MANIFEST).read_text())  # type: ignore[no-any-return]


def verify_version(path: Path, checksum: str) -> bool:
    """Whether the files of a published version are still the ones that were published."""
    manifest = read_manifest(path)
    files = tuple(sorted(manifest["files"]))  # type: ignore[call-overload]
    actual = tuple(
        sorted(p.relative_to(path).as_posix() for p in path.rglob("*.parquet") if p.is_file())
    )
    if actual != files:
        return False
    return _checksum(path, files)[0] == checksum
