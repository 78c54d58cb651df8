"""Builders for catalogue tests: real rows through the real services."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path
from typing import Any

from tiendo.accounts.models import User
from tiendo.orgs.models import Unit

from ..models import Dataset, DatasetVersion
from ..services import FieldInput, dataset_create, dataset_schema_set, version_upload

_seq = itertools.count(1)

POPULATION_FIELDS = [
    FieldInput(name="so_dinh_danh", type="text", required=True, label="Số định danh"),
    FieldInput(name="ho_ten", type="text", required=True, label="Họ và tên"),
    FieldInput(name="ngay_sinh", type="date", label="Ngày sinh"),
    FieldInput(name="so_nhan_khau", type="integer"),
]


def make_dataset(
    *, actor: User, owner: Unit, fields: list[FieldInput] | None = None, **extra: Any
) -> Dataset:
    n = next(_seq)
    values: dict[str, Any] = {"code": f"ds-{n}", "name": f"Dataset {n}"}
    values.update(extra)
    dataset = dataset_create(actor=actor, owner_unit=owner, **values)
    dataset_schema_set(
        actor=actor,
        dataset=dataset,
        version=None,
        fields=POPULATION_FIELDS if fields is None else fields,
    )
    dataset.refresh_from_db()
    return dataset


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    if encoding == "cp1258":
        path.write_bytes(b"".join(_cp1258(ch) for ch in text))
    else:
        path.write_bytes(text.encode(encoding))
    return path


def _cp1258(ch: str) -> bytes:
    """Windows-1258 writes a Vietnamese letter as base letter + combining tone mark."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        return unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode(
            "cp1258"
        )


def upload(actor: User, dataset: Dataset, path: Path) -> DatasetVersion:
    return version_upload(actor=actor, dataset=dataset, name=path.name, path=path)
