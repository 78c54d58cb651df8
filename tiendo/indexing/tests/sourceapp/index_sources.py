"""Found by ``IndexingConfig.ready`` (``autodiscover_modules("index_sources")``)."""

from typing import Any

from tiendo.indexing.automatic import AutoValue, register_source


@register_source(
    "test_discovered", "Discovered in another app", record_url="programs:program_detail"
)
def discovered(unit: Any, period: Any) -> AutoValue:
    return AutoValue(42.0, [])
