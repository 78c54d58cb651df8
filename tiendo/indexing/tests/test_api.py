"""The index API: the full cycle over HTTP with tokens, scoping and error format."""

import json

import pytest
from django.test import Client

from tiendo.accounts.services import api_token_create
from tiendo.indexing.tests.builders import SMALL_YAML, make_cycle

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        _, secret = api_token_create(user=user, name="tests")
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1{path}", query, headers=self.headers)

    def post(self, path, body=None):
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}),
                                content_type="application/json", headers=self.headers)  # fmt: skip


def test_full_cycle_over_the_api():
    cycle = make_cycle(2)
    leader, reviewer, chair = Api(cycle.leaders[0]), Api(cycle.reviewer), Api(cycle.chair)
    a = cycle.assessment(0)
    # the unit self-assesses and submits
    r = leader.post(f"/index/assessments/{a.pk}/values",
                    {"version": 1, "code": "P1", "value": 1, "evidence_note": "Decision 5"})  # fmt: skip
    assert r.status_code == 200, r.content
    r = leader.post(f"/index/assessments/{a.pk}/values",
                    {"version": 2, "code": "P2", "value": 80, "evidence_note": "Portal"})  # fmt: skip
    r = leader.post(f"/index/assessments/{a.pk}/refresh")
    version = r.json()["version"]
    assert (
        leader.post(f"/index/assessments/{a.pk}/submit", {"version": version}).json()["state"]
        == "submitted"
    )
    # a stale version is a 409, a missing reason a 422
    assert reviewer.post(f"/index/assessments/{a.pk}/verify", {"version": 1}).status_code == 409
    bad = reviewer.post(f"/index/assessments/{a.pk}/adjustments",
                        {"version": version + 1, "code": "P2", "value": 60, "reason": ""})  # fmt: skip
    assert bad.status_code == 422
    assert "reason" in bad.json()["errors"]
    r = reviewer.post(f"/index/assessments/{a.pk}/adjustments",
                      {"version": version + 1, "code": "P2", "value": 60, "reason": "Portal shows 60"})  # fmt: skip
    assert r.json()["values"][1]["kind"] == "adjustment"
    assert (
        reviewer.post(f"/index/assessments/{a.pk}/verify", {"version": version + 2}).json()["state"]
        == "verified"
    )
    # the other province is verified too, then the committee approves and publishes
    b = cycle.assessment(1)
    other = Api(cycle.leaders[1])
    other.post(f"/index/assessments/{b.pk}/values", {"version": 1, "code": "P1", "value": 0})
    other.post(f"/index/assessments/{b.pk}/values", {"version": 2, "code": "P2", "value": 0})
    other.post(f"/index/assessments/{b.pk}/submit", {"version": 3})
    reviewer.post(f"/index/assessments/{b.pk}/verify", {"version": 4})
    period = cycle.period
    assert (
        chair.post(f"/index/periods/{period.pk}/approve", {"version": 1}).json()["state"]
        == "approved"
    )
    assert (
        chair.post(f"/index/periods/{period.pk}/publish", {"version": 2}).json()["state"]
        == "published"
    )
    results = other.get(f"/index/periods/{period.pk}/results").json()
    assert [(r["unit"], r["rank"], r["total"]) for r in results["rows"]] == [
        ("Province A", 1, 38.0),
        ("Province B", 2, 0.0),
    ]
    explain = other.get(
        f"/index/periods/{period.pk}/units/{cycle.provinces[0].pk}/explain/P2"
    ).json()
    assert explain["trace"]["input"] == 60
    assert explain["arithmetic"] == "60 / 100 = 0.6 × 30 = 18"
    assert explain["rule"].startswith("Ratio to a target: ")
    assert explain["history"][0]["reason"] == "Portal shows 60"
    assert (
        chair.get(f"/index/periods/{period.pk}/emulation").json()["rows"][0]["unit"] == "Province A"
    )


def test_scope_and_permissions_over_the_api():
    cycle = make_cycle(2)
    other = Api(cycle.leaders[1])
    assert other.get(f"/index/assessments/{cycle.assessment(0).pk}").status_code == 404
    assert [
        a["unit"] for a in other.get(f"/index/periods/{cycle.period.pk}/assessments").json()
    ] == ["Province B"]
    refused = other.post(
        "/index/frameworks", {"yaml": SMALL_YAML.replace("version: 1", "version: 9")}
    )
    assert refused.status_code == 403
    admin = Api(cycle.admin)
    created = admin.post(
        "/index/frameworks", {"yaml": SMALL_YAML.replace("version: 1", "version: 9")}
    )
    assert created.status_code == 201
    broken = admin.post("/index/frameworks", {"yaml": SMALL_YAML.replace("yes_no", "maybe")})
    assert broken.status_code == 422
    assert "unknown method" in broken.json()["detail"] + json.dumps(broken.json()["errors"])
    detail = admin.get(f"/index/frameworks/{created.json()['id']}").json()
    assert [n["code"] for n in detail["nodes"]] == ["T", "P", "P1", "P2", "Q", "Q1"]
    assert (
        admin.get(f"/index/frameworks/{created.json()['id']}/export", format="xlsx").status_code
        == 200
    )


def test_open_a_period_over_the_api_with_chosen_units():
    cycle = make_cycle(2)
    chair = Api(cycle.chair)
    body = {"name": "Index 2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "unit_ids": [cycle.provinces[0].pk], "previous_id": cycle.period.pk}  # fmt: skip
    created = chair.post(f"/index/frameworks/{cycle.framework.pk}/periods", body)
    assert created.status_code == 201, created.content
    assessments = chair.get(f"/index/periods/{created.json()['id']}/assessments").json()
    assert [a["unit"] for a in assessments] == ["Province A"]
    backwards = chair.post(f"/index/frameworks/{cycle.framework.pk}/periods",
                           {**body, "ends_on": "2025-01-01"})  # fmt: skip
    assert backwards.status_code == 422
    assert "ends_on" in backwards.json()["errors"]
    refused = Api(cycle.leaders[0]).post(f"/index/frameworks/{cycle.framework.pk}/periods", body)
    assert refused.status_code == 403
