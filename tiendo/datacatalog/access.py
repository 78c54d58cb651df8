"""What a user may do with a dataset they can see. Visibility is in ``selectors``."""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.orgs.scope import Scope

from .models import Dataset

# Roles that maintain a unit's datasets (declare, upload, roll back, share).
MAINTAINER_ROLES = (Role.UNIT_LEADER, Role.UNIT_OFFICER, Role.STANDING_OFFICE)


def can_create_dataset(scope: Scope, unit_path: str | None = None) -> bool:
    """Administrators anywhere; leaders, officers and standing offices for their own subtree."""
    if scope.is_admin:
        return True
    return scope.has_role(*MAINTAINER_ROLES, unit_path=unit_path)


def can_manage_dataset(scope: Scope, dataset: Dataset) -> bool:
    """The steward, an administrator, or a maintainer of the owner unit (or a unit above it)."""
    if scope.is_admin or (scope.user_id is not None and scope.user_id == dataset.steward_id):
        return True
    return scope.has_role(*MAINTAINER_ROLES, unit_path=dataset.owner_unit_path)
