"""Every URL and every API operation has an authorization case (or is public on purpose).

A new page or operation makes this fail until someone adds its case to ``cases.py``: the
authorization matrix can only prove what it is told about.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tiendo.api.api import api

from .cases import ALL_CASES, API_CASES, PAGE_CASES, PUBLIC_ADMIN, PUBLIC_PAGES


def url_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    """``namespace:name`` of every pattern, recursing into includes (the admin's too)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_names(pattern.url_patterns, ns)
        else:
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield f"{namespace}:{name}" if namespace else name


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


def test_every_page_has_an_authorization_case_or_is_public() -> None:
    # Given every URL name of the project, the API's own routes and the admin's aside
    names = set(url_names(get_resolver().url_patterns))
    api_routes = {n for n in names if n.startswith("api:")} - PUBLIC_PAGES
    admin = {n for n in names if n.startswith("admin:")}
    pages = names - api_routes - admin

    # When they are compared with the registry
    covered = {case.key for case in PAGE_CASES} | PUBLIC_PAGES

    # Then none is missing, and the registry names no page that no longer exists
    assert sorted(pages - covered) == []
    assert sorted(covered - names) == []
    assert admin >= PUBLIC_ADMIN


def test_every_api_operation_has_an_authorization_case() -> None:
    # Given every operation of the OpenAPI document
    operations = api_operations()

    # When they are compared with the registry
    covered = {case.key for case in API_CASES}

    # Then none is missing and none is stale
    assert sorted(operations - covered) == []
    assert sorted(covered - operations) == []


def test_every_api_route_is_an_operation_or_public() -> None:
    # Given the URL names django-ninja mounted under api: (one per operation id, plus its docs)
    names = {n for n in url_names(get_resolver().url_patterns) if n.startswith("api:")}

    # Then each one is public on purpose or backs an operation of the document
    operation_names = {
        op["operationId"].rsplit("_api_", 1)[1]
        for methods in api.get_openapi_schema()["paths"].values()
        for op in methods.values()
    }
    assert sorted(n for n in names - PUBLIC_PAGES if n[4:] not in operation_names) == []


def test_cases_are_unique() -> None:
    keys = [case.key for case in ALL_CASES]
    assert len(keys) == len(set(keys))
