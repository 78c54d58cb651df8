"""Server-rendered pages of programs and tasks: parse, check access, call a service or a
selector, render. Reads go through ``tiendo.programs.selectors`` only (the access layer)."""

from .programs import (
    group_create,
    group_edit,
    program_create,
    program_detail,
    program_edit,
    program_list,
    program_pick,
)
from .task_actions import evidence_download, progress_submit, task_assign, task_extend, task_hold
from .tasks import deadline_preview, my_tasks, task_create, task_detail, task_edit, task_list

__all__ = [
    "deadline_preview",
    "evidence_download",
    "group_create",
    "group_edit",
    "my_tasks",
    "program_create",
    "program_detail",
    "program_edit",
    "program_list",
    "program_pick",
    "progress_submit",
    "task_assign",
    "task_create",
    "task_detail",
    "task_edit",
    "task_extend",
    "task_hold",
    "task_list",
]
