"""A sentence describing each rule, in the user's language, for the pages (the dimensions'
names are ``models.QualityDimension``'s labels)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .engine import RuleResult


def describe(rule: RuleResult) -> str:
    """One sentence saying what ``rule`` checks, e.g. "citizen_id matches ^\\d{12}$"."""
    field = rule.field or ""
    detail = rule.detail
    texts = {
        "type": lambda: (
            _("%(field)s is a valid %(type)s") % {"field": field, "type": detail.get("type", "")}
        ),
        "min": lambda: (
            _("%(field)s is at least %(bound)s")
            % {"field": field, "bound": detail.get("bound", "")}
        ),
        "max": lambda: (
            _("%(field)s is at most %(bound)s") % {"field": field, "bound": detail.get("bound", "")}
        ),
        "pattern": lambda: (
            _("%(field)s matches %(pattern)s")
            % {"field": field, "pattern": detail.get("pattern", "")}
        ),
        "length": lambda: _("%(field)s has an allowed length") % {"field": field},
        "values": lambda: _("%(field)s is one of the allowed values") % {"field": field},
        "code_list": lambda: (
            _("%(field)s is in the code list %(code_list)s")
            % {"field": field, "code_list": detail.get("code_list", "")}
        ),
        "required": lambda: _("%(field)s is filled") % {"field": field},
        "coverage": lambda: (
            _("every value of %(code_list)s appears in %(field)s")
            % {"field": field, "code_list": detail.get("code_list", "")}
        ),
        "duplicate_key": lambda: _("no two records share the key %(field)s") % {"field": field},
        "unique": lambda: _("%(field)s is unique") % {"field": field},
        "near_duplicate": lambda: _("no name in %(field)s is written two ways") % {"field": field},
        "similar_name": lambda: (
            _("no two names in %(field)s are nearly the same") % {"field": field}
        ),
        "nfd": lambda: _("%(field)s is in composed Unicode (NFC)") % {"field": field},
        "tcvn3": lambda: _("%(field)s has no TCVN3 (ABC) text") % {"field": field},
        "vni": lambda: _("%(field)s has no VNI text") % {"field": field},
        "field": lambda: _("%(field)s follows the shared standard") % {"field": field},
        "frequency": lambda: _("updated as often as declared"),
        "publication": lambda: _("published to the warehouse and used by other units"),
    }
    text = texts.get(rule.check)
    return text() if text else rule.id
