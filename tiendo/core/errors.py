"""Errors raised by services, shown to users in their own language."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """The record changed since the user loaded it: their edit must not overwrite the other one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDeniedError(Exception):
    """The user may see the record but not perform this action on it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """Field name -> messages, with ``__all__`` for errors not tied to a field."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in ValidationError(msgs).messages]
            for field, msgs in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}
