"""The registry of authorization cases: one entry per URL pattern and per API operation.

A case names its endpoint (the URL name for pages, ``"METHOD /api/v1/path"`` for API
operations), the request to send with ``{placeholders}`` filled from ``World.ids``, and what a
user of ANOTHER province must get:

- ``OBJECT``: the URL names a home record: the outsider gets 404, never 403 (a 403 would confirm
  that the record exists);
- ``CLEAN``: no home record in the URL: whatever the status (below 500), the answer must not
  contain the marker of any home record (lists, counts, exports, search filters).

Anonymous users get a redirect to the sign-in page (pages) or 401 (API), derived per kind.
``test_authorization_coverage.py`` fails when an endpoint has no case here and is not public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OBJECT = "object"
CLEAN = "clean"


@dataclass(frozen=True)
class Case:
    key: str  # URL name, or "METHOD /api/v1/path" as in the OpenAPI document
    method: str
    path: str  # with {placeholders} from World.ids
    outsider: str  # OBJECT or CLEAN
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


# Public endpoints, reachable without signing in, and why that is safe.
PUBLIC_PAGES = {
    "login",  # the sign-in form itself
    "logout",  # signing out needs no session
    "set_language",  # stores a language choice in a cookie
    "javascript-catalog",  # translations of the interface, no data
    "api:openapi-json",  # the API contract: operations and schemas, no records
    "api:openapi-view",  # the same, as a documentation page (bundled assets)
    "api:api-root",  # ninja's index of the API root: no records
}
# The admin login page and its assets are public; every other admin URL is covered as a whole by
# ``test_admin_refuses_everyone_but_staff`` (non-staff users are sent to the admin login).
PUBLIC_ADMIN = {"admin:login"}


def _p(key: str, path: str, outsider: str, method: str = "GET", **data: Any) -> Case:
    return Case(key=key, method=method, path=path, outsider=outsider, data=data)


def _a(method: str, path: str, outsider: str, concrete: str | None = None, **data: Any) -> Case:
    """An API case keyed by its OpenAPI path; ``concrete`` overrides the default id filling."""
    return Case(
        key=f"{method} {path}",
        method=method,
        path=concrete or fill_api_path(path),
        outsider=outsider,
        data=data,
    )


# Path parameters of the API mapped to world ids (index and reporting periods differ by prefix).
API_PARAMS = {
    "task_id": "{task}",
    "program_id": "{program}",
    "unit_id": "{unit}",
    "evidence_id": "{evidence}",
    "batch_id": "{batch}",
    "framework_id": "{framework}",
    "assessment_id": "{assessment}",
    "notification_id": "{notification}",
    "schedule_id": "{schedule}",
    "report_id": "{report_a}",
    "pk": "{consolidated}",
    "fmt": "xlsx",
    "code": "{code}",
    "round_id": "{round}",
    "dataset_code": "{dataset}",
    "number": "1",
    "indicator_id": "{indicator}",
}


def fill_api_path(path: str) -> str:
    filled = path.replace("{period_id}", "{ix_period}" if "/index/" in path else "{period}")
    for name, value in API_PARAMS.items():
        filled = filled.replace("{" + name + "}", value)
    return filled


PAGE_CASES = [
    _p("home", "/", CLEAN),
    _p("two_factor", "/account/2fa/", CLEAN),
    _p("api_tokens", "/account/tokens/", CLEAN),
    _p("api_token_revoke", "/account/tokens/{token}/revoke/", OBJECT, "POST"),
    # Tasks
    _p("programs:task_list", "/tasks/", CLEAN),
    _p("programs:my_tasks", "/tasks/mine/", CLEAN),
    _p("programs:deadline_preview", "/tasks/deadline-preview/?deadline_text=Q2/2025", CLEAN),
    # The unit picker: every home unit is named "... ZZQX" (more searches in
    # test_authorization_matrix.test_the_pickers_never_find_another_provinces_units_or_programs).
    _p("orgs:unit_pick", "/units/pick/?q=ZZQX", CLEAN),
    # The program picker: the home program is named "Home program ZZQX".
    _p("programs:program_pick", "/programs/pick/?q=ZZQX", CLEAN),
    _p("programs:task_detail", "/tasks/{task}/", OBJECT),
    _p("programs:task_edit", "/tasks/{task}/edit/", OBJECT),
    _p("programs:progress_submit", "/tasks/{task}/progress/", OBJECT, "POST", percent=90),
    _p("programs:task_assign", "/tasks/{task}/assign/", OBJECT, "POST"),
    _p("programs:task_extend", "/tasks/{task}/extend/", OBJECT, "POST"),
    _p("programs:task_hold", "/tasks/{task}/hold/", OBJECT, "POST", state="cancelled"),
    _p("programs:evidence_download", "/evidence/{evidence}/", OBJECT),
    _p("programs:program_list", "/programs/", CLEAN),
    _p("programs:program_create", "/programs/new/", CLEAN),
    _p("programs:program_detail", "/programs/{program}/", OBJECT),
    _p("programs:program_edit", "/programs/{program}/edit/", OBJECT),
    _p("programs:group_create", "/programs/{program}/groups/new/", OBJECT),
    _p("programs:task_create", "/programs/{program}/tasks/new/", OBJECT),
    _p("programs:group_edit", "/groups/{group}/edit/", OBJECT),
    # Dashboards and their exports
    _p("dashboards:index", "/dashboards/", CLEAN),
    _p("dashboards:program", "/dashboards/programs/{program}/", OBJECT),
    _p("dashboards:program_export", "/dashboards/programs/{program}/export.xlsx", OBJECT),
    _p("dashboards:units_all", "/dashboards/units/", CLEAN),
    _p("dashboards:unit", "/dashboards/units/{unit}/", OBJECT),
    _p("dashboards:units_all_export", "/dashboards/units/export.xlsx", CLEAN),
    _p("dashboards:unit_export", "/dashboards/units/{unit}/export.xlsx", OBJECT),
    _p("dashboards:task_list", "/dashboards/list/?program={program}&status=in_progress", CLEAN),
    _p(
        "dashboards:override",
        "/dashboards/override/",
        OBJECT,
        "POST",
        target="program",
        target_id="{program}",
        rating="red",
    ),
    # Reporting
    _p("reporting:program", "/reports/programs/{program}/", OBJECT),
    _p("reporting:schedule_create", "/reports/programs/{program}/schedules/", OBJECT, "POST"),
    _p("reporting:period_open", "/reports/schedules/{schedule}/periods/", OBJECT, "POST"),
    _p("reporting:period", "/reports/periods/{period}/", OBJECT),
    _p("reporting:remind", "/reports/periods/{period}/remind/", OBJECT, "POST"),
    _p("reporting:consolidate", "/reports/periods/{period}/consolidate/", OBJECT, "POST"),
    _p("reporting:consolidation_status", "/reports/periods/{period}/consolidation/", OBJECT),
    _p("reporting:report", "/reports/unit-reports/{report_a}/", OBJECT),
    _p(
        "reporting:report_save",
        "/reports/unit-reports/{report_a}/save/",
        OBJECT,
        "POST",
        results="overwritten",
    ),
    _p("reporting:report_review", "/reports/unit-reports/{report_a}/review/", OBJECT, "POST"),
    _p("reporting:files_request", "/reports/consolidated/{consolidated}/files/", OBJECT, "POST"),
    _p("reporting:files_status", "/reports/consolidated/{consolidated}/status/", OBJECT),
    _p("reporting:download", "/reports/consolidated/{consolidated}/xlsx/", OBJECT),
    # Calendars: national holidays and working days, no records of a unit
    _p("calendars:current_year", "/calendars/", CLEAN),
    _p("calendars:year", "/calendars/{year}/", CLEAN),
    # Notifications
    _p("reminders:list", "/notifications/", CLEAN),
    _p("reminders:read", "/notifications/{notification}/read/", OBJECT, "POST"),
    _p("reminders:read_all", "/notifications/read-all/", CLEAN, "POST"),
    _p("reminders:badge", "/notifications/badge/", CLEAN),
    _p("reminders:preferences", "/notifications/preferences/", CLEAN),
    _p("reminders:urge", "/notifications/tasks/{task}/urge/", OBJECT, "POST"),
    _p("reminders:program_settings", "/notifications/programs/{program}/", OBJECT),
    # Index periods are national cycles every signed-in user may open (indexing.selectors.
    # visible_periods); what must not leak is a province's assessment, checked by CLEAN and OBJECT.
    # Index (the neighbour province's self-assessment is the foreign object here)
    _p("indexing:home", "/index/", CLEAN),
    _p("indexing:framework_import", "/index/frameworks/import/", CLEAN),
    _p("indexing:framework_detail", "/index/frameworks/{framework}/", CLEAN),
    _p("indexing:framework_export", "/index/frameworks/{framework}/export.yaml", CLEAN),
    _p("indexing:period_open", "/index/frameworks/{framework}/periods/new/", CLEAN),
    _p("indexing:period_detail", "/index/periods/{ix_period}/", CLEAN),
    _p(
        "indexing:period_action",
        "/index/periods/{ix_period}/action/",
        CLEAN,
        "POST",
        action="approve",
    ),
    _p("indexing:results", "/index/periods/{ix_period}/results/", CLEAN),
    _p("indexing:compare", "/index/periods/{ix_period}/compare/", CLEAN),
    _p("indexing:emulation", "/index/periods/{ix_period}/emulation/", CLEAN),
    _p("indexing:unit_result", "/index/periods/{ix_period}/units/{province}/", OBJECT),
    _p("indexing:explain", "/index/periods/{ix_period}/units/{province}/explain/{code}/", OBJECT),
    _p("indexing:assessment_detail", "/index/assessments/{assessment}/", OBJECT),
    _p("indexing:evidence_download", "/index/evidence/{value}/", OBJECT),
    _p(
        "indexing:assessment_action",
        "/index/assessments/{assessment}/action/",
        OBJECT,
        "POST",
        action="submit",
    ),
    # Imports
    _p("imports:upload", "/imports/programs/{program}/", OBJECT),
    _p("imports:export", "/imports/programs/{program}/export.xlsx", OBJECT),
    _p("imports:template", "/imports/template.xlsx", CLEAN),
    _p("imports:mapping", "/imports/batches/{batch}/mapping/", OBJECT),
    _p("imports:preview", "/imports/batches/{batch}/preview/", OBJECT),
    _p("imports:resolve", "/imports/batches/{batch}/resolve/", OBJECT, "POST"),
    _p("imports:confirm", "/imports/batches/{batch}/confirm/", OBJECT, "POST"),
    # Appraisals of investment projects (a project is a task)
    _p("appraisals:board", "/appraisals/", CLEAN),
    _p("datacatalog:catalogue", "/data/", CLEAN),
    _p("datacatalog:dataset_create", "/data/new/", CLEAN),
    _p(
        "datacatalog:task_dataset_link",
        "/data/tasks/{task}/datasets/",
        OBJECT,
        "POST",
        dataset="{dataset}",
    ),
    _p(
        "datacatalog:task_dataset_unlink",
        "/data/tasks/{task}/datasets/{dataset}/unlink/",
        OBJECT,
        "POST",
    ),
    _p("datacatalog:dataset", "/data/{dataset}/", OBJECT),
    _p("datacatalog:dataset_edit", "/data/{dataset}/edit/", OBJECT),
    _p("datacatalog:dataset_schema", "/data/{dataset}/fields/", OBJECT),
    _p("datacatalog:version_upload", "/data/{dataset}/upload/", OBJECT, "POST"),
    _p(
        "datacatalog:version_rollback",
        "/data/{dataset}/rollback/",
        OBJECT,
        "POST",
        number=1,
        reason="x",
    ),
    _p("datacatalog:version_publish", "/data/{dataset}/publish/", OBJECT, "POST"),
    _p("datacatalog:access_grant", "/data/{dataset}/access/", OBJECT, "POST", unit="{unit}"),
    _p("datacatalog:access_revoke", "/data/{dataset}/access/{unit}/revoke/", OBJECT, "POST"),
    _p("datacatalog:measure_rows", "/data/{dataset}/v1/quality/{measure}/", OBJECT),
    # The console's answer lists the tables the user may query: POST a query of the home table.
    _p("datacatalog:console", "/data/warehouse/console/", CLEAN, "POST", sql="TABLE home_data"),
    _p("datacatalog:figures", "/data/warehouse/figures/?unit={unit}&figure=total", OBJECT),
    _p("datacatalog:dataset_by_id", "/data/warehouse/datasets/{dataset_pk}/", OBJECT),
    _p("appraisals:detail", "/appraisals/projects/{task}/", OBJECT),
    _p("appraisals:submit", "/appraisals/projects/{task}/submit/", OBJECT, "POST"),
    _p("appraisals:pass", "/appraisals/projects/{task}/pass/", OBJECT, "POST"),
    _p("appraisals:return", "/appraisals/projects/{task}/return/", OBJECT, "POST", reason="x"),
    _p("appraisals:resubmit", "/appraisals/projects/{task}/resubmit/", OBJECT, "POST"),
    _p("appraisals:attach", "/appraisals/projects/{task}/attach/", OBJECT, "POST"),
    _p("appraisals:round", "/appraisals/consultations/{round}/", OBJECT),
    _p("appraisals:consulted_units", "/appraisals/consultations/", CLEAN),
    _p("appraisals:round_remind", "/appraisals/consultations/{round}/remind/", OBJECT, "POST"),
    _p("appraisals:indicator", "/appraisals/indicators/{indicator}/", OBJECT),
    _p(
        "appraisals:indicator_value",
        "/appraisals/indicators/{indicator}/values/",
        OBJECT,
        "POST",
        unit="{unit}",
        period_end="2025-12-31",
        seen=0,
        measured_on="2025-03-02",
        value=5,
    ),
    _p(
        "appraisals:indicator_evidence",
        "/appraisals/indicator-values/{kpi_value}/evidence/",
        OBJECT,
    ),
    _p(
        "appraisals:round_answer",
        "/appraisals/consultations/{round}/answer/",
        OBJECT,
        "POST",
        answer="agree",
        on="2025-03-05",
    ),
    _p(
        "appraisals:round_respond",
        "/appraisals/consultations/{round}/respond/",
        OBJECT,
        "POST",
        response="accepted",
        text="x",
    ),
    # Audit trail: auditors and administrators only; never a home record for the outsider
    _p("audit:list", "/audit/", CLEAN),
    _p("audit:export", "/audit/export.csv", CLEAN),
]

# Multipart operations: a well-formed upload, so that a 422 cannot hide the access decision.
UPLOAD = {"multipart": True, "as_of": "2025-03-02", "percent": 90, "file": "minutes.txt"}

API_CASES = [
    _a("GET", "/api/v1/me", CLEAN),
    _a("GET", "/api/v1/units", CLEAN),
    _a("GET", "/api/v1/units/{unit_id}", OBJECT),
    _a("GET", "/api/v1/units/{unit_id}/children", OBJECT),
    _a("GET", "/api/v1/programs", CLEAN),
    _a("POST", "/api/v1/programs", CLEAN, code="x1", name="Intruder", owner_unit="{unit}"),
    _a("GET", "/api/v1/programs/{program_id}", OBJECT),
    _a("PATCH", "/api/v1/programs/{program_id}", OBJECT, version=1, name="Renamed"),
    _a("GET", "/api/v1/programs/{program_id}/groups", OBJECT),
    _a("POST", "/api/v1/programs/{program_id}/groups", OBJECT, name="Intruder group"),
    _a("GET", "/api/v1/tasks", CLEAN),
    _a("POST", "/api/v1/tasks", CLEAN, program="{program}", title="Intruder task"),
    _a("GET", "/api/v1/tasks/{task_id}", OBJECT),
    _a("PATCH", "/api/v1/tasks/{task_id}", OBJECT, version=1, title="Renamed"),
    _a("POST", "/api/v1/tasks/{task_id}/assign", OBJECT, version=1),
    _a(
        "POST",
        "/api/v1/tasks/{task_id}/extensions",
        OBJECT,
        version=1,
        deadline_text="Q4/2031",
        reason="x",
    ),
    _a("POST", "/api/v1/tasks/{task_id}/hold", OBJECT, version=1, state="cancelled", reason="x"),
    _a("GET", "/api/v1/tasks/{task_id}/progress", OBJECT),
    _a("POST", "/api/v1/tasks/{task_id}/progress", OBJECT, as_of="2025-03-02", percent=90),
    _a("POST", "/api/v1/tasks/{task_id}/progress/upload", OBJECT, **UPLOAD),
    _a("GET", "/api/v1/evidence/{evidence_id}", OBJECT),
    _a("GET", "/api/v1/programs/{program_id}/summary", OBJECT),
    _a("GET", "/api/v1/units/{unit_id}/summary", OBJECT),
    _a("POST", "/api/v1/programs/{program_id}/imports", OBJECT, **UPLOAD),
    _a("GET", "/api/v1/imports/{batch_id}", OBJECT),
    _a("PUT", "/api/v1/imports/{batch_id}/mapping", OBJECT, version=1, header_row=1, mapping={}),
    _a("PUT", "/api/v1/imports/{batch_id}/resolutions", OBJECT, version=1, resolutions={}),
    _a("GET", "/api/v1/imports/{batch_id}/preview", OBJECT),
    _a("POST", "/api/v1/imports/{batch_id}/confirm", OBJECT, version=1),
    _a("GET", "/api/v1/programs/{program_id}/export.xlsx", OBJECT),
    _a("GET", "/api/v1/import-template.xlsx", CLEAN),
    _a("GET", "/api/v1/index/frameworks", CLEAN),
    _a("POST", "/api/v1/index/frameworks", CLEAN, yaml="not: a framework"),
    _a("GET", "/api/v1/index/frameworks/{framework_id}", CLEAN),
    _a("GET", "/api/v1/index/frameworks/{framework_id}/export", CLEAN),
    _a("GET", "/api/v1/index/periods", CLEAN),
    _a(
        "POST",
        "/api/v1/index/frameworks/{framework_id}/periods",
        CLEAN,
        name="Intruder",
        starts_on="2025-01-01",
        ends_on="2025-12-31",
        unit_ids=["{province}"],
    ),
    _a("GET", "/api/v1/index/periods/{period_id}", CLEAN),
    _a("POST", "/api/v1/index/periods/{period_id}/approve", CLEAN, version=1),
    _a("POST", "/api/v1/index/periods/{period_id}/publish", CLEAN, version=1),
    _a("GET", "/api/v1/index/periods/{period_id}/assessments", CLEAN),
    _a("GET", "/api/v1/index/assessments/{assessment_id}", OBJECT),
    _a(
        "POST",
        "/api/v1/index/assessments/{assessment_id}/values",
        OBJECT,
        version=1,
        code="P1",
        value=1,
    ),
    _a(
        "POST",
        "/api/v1/index/assessments/{assessment_id}/adjustments",
        OBJECT,
        version=1,
        code="P1",
        value=1,
        reason="x",
    ),
    _a("POST", "/api/v1/index/assessments/{assessment_id}/refresh", OBJECT),
    _a("POST", "/api/v1/index/assessments/{assessment_id}/submit", OBJECT, version=1),
    _a("POST", "/api/v1/index/assessments/{assessment_id}/verify", OBJECT, version=1),
    _a("POST", "/api/v1/index/assessments/{assessment_id}/return", OBJECT, version=1, reason="x"),
    _a("GET", "/api/v1/index/periods/{period_id}/results", CLEAN),
    _a(
        "GET",
        "/api/v1/index/periods/{period_id}/units/{unit_id}/explain/{code}",
        OBJECT,
        "/api/v1/index/periods/{ix_period}/units/{province}/explain/{code}",
    ),
    _a("GET", "/api/v1/index/periods/{period_id}/emulation", CLEAN),
    _a("GET", "/api/v1/notifications", CLEAN),
    _a("GET", "/api/v1/notifications/unread-count", CLEAN),
    _a("POST", "/api/v1/notifications/{notification_id}/read", OBJECT),
    _a("GET", "/api/v1/notifications/preferences", CLEAN),
    _a("PUT", "/api/v1/notifications/preferences", CLEAN, email_mode="off", language="vi"),
    _a("POST", "/api/v1/tasks/{task_id}/urge", OBJECT, note="x"),
    _a("GET", "/api/v1/tasks/{task_id}/reminders", OBJECT),
    _a("GET", "/api/v1/programs/{program_id}/reminder-settings", OBJECT),
    _a("PUT", "/api/v1/programs/{program_id}/reminder-settings", OBJECT, enabled=False),
    _a("GET", "/api/v1/programs/{program_id}/report-schedules", OBJECT),
    _a(
        "POST",
        "/api/v1/programs/{program_id}/report-schedules",
        OBJECT,
        name="x",
        frequency="monthly",
        due_rule="working_days_after_end",
        due_value=5,
        units=["{unit}"],
    ),
    _a("POST", "/api/v1/report-schedules/{schedule_id}/periods", OBJECT, day="2025-05-05"),
    _a("GET", "/api/v1/programs/{program_id}/report-periods", OBJECT),
    _a("GET", "/api/v1/report-periods/{period_id}/discipline", OBJECT),
    _a("GET", "/api/v1/report-periods/{period_id}/reports", OBJECT),
    _a("GET", "/api/v1/unit-reports/{report_id}", OBJECT),
    _a("PATCH", "/api/v1/unit-reports/{report_id}", OBJECT, results="overwritten"),
    _a("POST", "/api/v1/unit-reports/{report_id}/submit", OBJECT),
    _a("POST", "/api/v1/unit-reports/{report_id}/review", OBJECT, decision="accept"),
    _a("POST", "/api/v1/report-periods/{period_id}/consolidate", OBJECT),
    _a("POST", "/api/v1/report-periods/{period_id}/consolidation", OBJECT),
    _a("GET", "/api/v1/report-periods/{period_id}/consolidation", OBJECT),
    _a("POST", "/api/v1/report-periods/{period_id}/remind", OBJECT, units=["{unit}"]),
    _a("GET", "/api/v1/reports/consolidated/{pk}", OBJECT),
    _a("POST", "/api/v1/reports/consolidated/{pk}/files", OBJECT),
    _a("GET", "/api/v1/reports/consolidated/{pk}/{fmt}", OBJECT),
    # Appraisals (a project is a task of the program)
    _a("GET", "/api/v1/appraisals", CLEAN),
    _a("GET", "/api/v1/appraisals/{task_id}", OBJECT),
    _a("POST", "/api/v1/appraisals/{task_id}/pass", OBJECT, on="2025-03-01"),
    _a("POST", "/api/v1/appraisals/{task_id}/return", OBJECT, on="2025-03-01", reason="x"),
    _a(
        "GET",
        "/api/v1/programs/{program_id}/indicators",
        OBJECT,
        "/api/v1/programs/{program}/indicators?period_end=2025-12-31",
    ),
    _a("GET", "/api/v1/programs/{program_id}/appraisal-figures", OBJECT),
    _a(
        "POST",
        "/api/v1/indicators/{indicator_id}/values",
        OBJECT,
        unit_id="{unit}",
        period_end="2025-12-31",
        measured_on="2025-03-02",
        value=5,
    ),
    # Data catalogue
    _a("GET", "/api/v1/datasets", CLEAN),
    _a("POST", "/api/v1/datasets", CLEAN, code="x1", name="Intruder", owner_unit_id="{unit}"),
    _a("GET", "/api/v1/datasets/{dataset_code}", OBJECT),
    _a("GET", "/api/v1/datasets/{dataset_code}/versions", OBJECT),
    _a("GET", "/api/v1/datasets/{dataset_code}/versions/{number}/quality", OBJECT),
    _a("POST", "/api/v1/datasets/{dataset_code}/versions", OBJECT, **UPLOAD),
    _a("GET", "/api/v1/consultations", CLEAN),
    _a("GET", "/api/v1/consultations/{round_id}", OBJECT),
]

ALL_CASES = PAGE_CASES + API_CASES


def fill(template: Any, ids: dict[str, Any]) -> Any:
    """``template`` with every ``{name}`` replaced by ``ids[name]`` (ints stay ints in bodies)."""
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in ids:
            return ids[template[1:-1]]
        return template.format(**ids) if "{" in template else template
    if isinstance(template, list):
        return [fill(item, ids) for item in template]
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    return template
