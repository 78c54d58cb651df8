"""Database fields with behaviour that differs by database engine."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db import models


class TreePathField(models.CharField):
    """A materialised tree path such as ``/1/7/42/`` compared byte by byte.

    A subtree is the half-open range ``[path, path[:-1] + "0")``: every descendant's path starts
    with its ancestor's and ``/`` sorts just before ``0``. Range comparisons use an ordinary B-tree
    index only when the column sorts bytewise, which SQLite does by default and PostgreSQL does
    under the ``C`` collation; so the column is declared ``COLLATE "C"`` on PostgreSQL.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range of paths inside the subtree rooted at ``path`` (itself included)."""
    if not path.endswith("/"):
        raise ValueError(f"tree path must end with '/': {path!r}")
    return path, path[:-1] + "0"


def in_subtree(field: str, path: str) -> models.Q:
    """``Q`` matching rows whose ``field`` (a tree path) lies in the subtree rooted at ``path``."""
    low, high = subtree_bounds(path)
    return models.Q(**{f"{field}__gte": low, f"{field}__lt": high})


def in_any_subtree(field: str, paths: Iterable[str]) -> models.Q:
    """``Q`` matching rows whose ``field`` lies in one of the subtrees at ``paths``; no row when
    there is none."""
    parts = [in_subtree(field, path) for path in paths]
    return reduce(or_, parts) if parts else models.Q(pk__in=[])


def path_depth(path: str) -> int:
    """How many units a tree path names: 1 for a top-level unit's ``/7/``, 0 for ``/`` or ``""``."""
    return max(path.count("/") - 1, 0)


def common_depth(a: str, b: str) -> int:
    """How many leading units the tree paths ``a`` and ``b`` name alike (``path_depth`` of their
    lowest common ancestor): ``b`` lies in the subtree of ``a``'s first ``k`` units exactly when
    ``common_depth(a, b) >= k``. 0 when they part at the root or either is empty."""
    depth = 0
    for x, y in zip(a.strip("/").split("/"), b.strip("/").split("/"), strict=False):
        if x != y or not x:
            break
        depth += 1
    return depth
