from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .services import audit_record, request_ip


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy of production, REMOTE_ADDR is the proxy; the proxy must set
    # X-Forwarded-For. Only its last hop is trusted (the proxy appends the real client).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    """Makes the client address available to ``audit_record`` and records refused access."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
            if response.status_code in (403, 404):
                self._refused(request, response.status_code)
            return response
        finally:
            request_ip.reset(token)

    @staticmethod
    def _refused(request: HttpRequest, status: int) -> None:
        # API calls authenticate per request (token): the API sets ``auth_user``.
        user = getattr(request, "auth_user", None) or getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        audit_record(
            actor=user,
            action="access.refused",
            object_type="url",
            object_id=str(status),
            summary=f"{request.method} {request.get_full_path()[:450]}",
        )
