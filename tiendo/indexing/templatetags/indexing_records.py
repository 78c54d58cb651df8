"""Links to the records behind an automatic value, each to its own page (task, dataset...)."""

from django import template

from tiendo.indexing import automatic

register = template.Library()


@register.filter
def record_links(records: list[int] | None, source: str) -> list[tuple[int, str]]:
    """``{% for pk, url in entry.records|record_links:node.source %}``."""
    return [(pk, automatic.record_url(source, pk)) for pk in records or []]
