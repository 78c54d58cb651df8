"""Alias so that ``tiendo seed-index-demo`` works as the issue spells it."""

from .seed_index_demo import Command  # noqa: F401
