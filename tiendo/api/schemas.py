"""Types and schemas shared by every router: ids, safe text, pages of results, the error body."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

# Ids and offsets are bounded so that an absurd number is a 422, not a database overflow (500).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10**9


def _no_nul(value: str) -> str:
    # PostgreSQL rejects NUL in text; refuse it here instead of failing in the database.
    if "\x00" in value:
        raise ValueError(_("Text cannot contain the NUL character."))
    return value


NoNul = AfterValidator(_no_nul)
Text = Annotated[str, NoNul]


def text(max_length: int) -> Any:
    """A string of at most ``max_length`` characters without NUL (as the model field allows)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_nul)]


class ErrorOut(Schema):
    """Every error answer: a sentence for people and the messages of each field that failed."""

    detail: str
    errors: dict[str, list[str]]


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    items: list[T]
    limit: int
    offset: int


class Ref(Schema):
    """A related record, named: enough to show it without another request."""

    id: int
    name: str


ERROR_STATUSES = (401, 403, 404, 409, 422)


def responses(out: Any, status: int = 200) -> dict[int, Any]:
    """The success schema plus every error an operation may answer, for the OpenAPI document."""
    return {status: out, **dict.fromkeys(ERROR_STATUSES, ErrorOut)}


def page(
    queryset: Any, params: PageIn, convert: Any = None, *, count: int | None = None
) -> dict[str, Any]:
    """One page of ``queryset`` with the total count (``count`` if the caller has it already);
    ``convert`` maps each row if given."""
    rows = list(queryset[params.offset : params.offset + params.limit])
    return {
        "count": queryset.count() if count is None else count,
        "items": [convert(r) for r in rows] if convert else rows,
        "limit": params.limit,
        "offset": params.offset,
    }
