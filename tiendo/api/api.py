"""The REST API: one NinjaAPI instance, token or session authentication, routers per app."""

from ninja import NinjaAPI

api = NinjaAPI(title="tiendo API", version="1", urls_namespace="api")
