"""The REST API: one NinjaAPI instance, token or session authentication, routers per app.

Each app keeps its operations in its own ``api.py``; mount a new router with one
``api.add_router(...)`` line at the bottom of this file.
"""

from ninja import NinjaAPI

from tiendo.accounts.api import router as accounts_router
from tiendo.orgs.api import router as orgs_router
from tiendo.programs.api import router as programs_router

from . import errors
from .auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="tiendo API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    description="Plan, assign and follow digital-transformation programs. "
    "Authenticate with `Authorization: Bearer <token>` (create one at /account/tokens/).",
)
errors.install(api)

api.add_router("", accounts_router, tags=["me"])
api.add_router("", orgs_router, tags=["units"])
api.add_router("", programs_router)
api.add_router("", "tiendo.dashboards.api.router")
api.add_router("", "tiendo.imports.api.router")
api.add_router("", "tiendo.indexing.api.router")
api.add_router("", "tiendo.reminders.api.router")
api.add_router("", "tiendo.reporting.api.router")
api.add_router("", "tiendo.appraisals.api.router")
api.add_router("", "tiendo.datacatalog.api.router")
