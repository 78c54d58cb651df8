"""One error format for the whole API, in the request's language.

``{"detail": "...", "errors": {"field": ["message", ...]}}`` for every failure: services'
``ValidationError`` (422), ``PermissionDeniedError`` (403), ``Http404`` (404, also for records
outside the caller's scope), ``ConflictError`` (409), malformed bodies and parameters (422).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tiendo.core.errors import ConflictError, PermissionDeniedError, validation_messages

# Where a value came from; the API reports the field name without it.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}
# Names of operation parameters that wrap a schema: not part of the field a client sent.
_WRAPPERS = {"payload", "filters", "params", "paging", "form"}


def _pydantic_message(error: dict[str, Any]) -> str:
    """A pydantic error in the user's language (pydantic's own messages are English only)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_parsing", "decimal_type")):
        return _("Enter a number.")
    if kind.startswith("date"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind == "greater_than_equal":
        return _("Enter a value greater than or equal to %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a value less than or equal to %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind.startswith("decimal_"):
        return _("This number has too many digits.")
    if kind in ("string_type", "string_unicode"):
        return _("Enter text.")
    if kind in ("list_type", "set_type", "tuple_type"):
        return _("Enter a list.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Send a JSON object.")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators raise messages already translated
    return _("This value is not valid.")


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    return api.create_response(request, body, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(error.get("loc", ())), []).append(
                _pydantic_message(error)
            )
        return _respond(api, request, 422, error_body(_("Some fields are not valid."), errors))

    @api.exception_handler(DjangoValidationError)
    def invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = validation_messages(exc)
        general = errors.get("__all__") or []
        detail = general[0] if len(general) == 1 else _("Some fields are not valid.")
        return _respond(api, request, 422, error_body(detail, errors))

    @api.exception_handler(PermissionDeniedError)
    def denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
        return _respond(api, request, 403, error_body(exc.message))

    @api.exception_handler(PermissionDenied)
    def django_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or _("You are not allowed to do this.")
        return _respond(api, request, 403, error_body(detail))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        detail = _("The request is too large. Send evidence files with the upload operation.")
        return _respond(api, request, 422, error_body(detail, {"__all__": [detail]}))

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        detail = _("Too many files in one request.")
        return _respond(api, request, 422, error_body(detail, {"files": [detail]}))

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return _respond(api, request, 409, error_body(exc.message))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # The same answer whether the record does not exist or lies outside the caller's scope.
        return _respond(api, request, 404, error_body(_("Not found.")))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _(
            "Authentication required: send the header “Authorization: Bearer <token>” "
            "with a valid API token, or sign in."
        )
        response = _respond(api, request, 401, error_body(detail))
        response["WWW-Authenticate"] = 'Bearer realm="tiendo"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            # django-ninja answers 400 for a body it cannot parse; the API promises 422.
            detail = _("The request body is not valid JSON.")
            return _respond(api, request, 422, error_body(detail, {"__all__": [detail]}))
        return _respond(api, request, exc.status_code, error_body(str(exc)))
