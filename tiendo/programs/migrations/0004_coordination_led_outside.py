"""A coordination keeps its task's lead unit path and how deep that path and its unit's agree
(filled here from the task table), and one index (common depth, unit path, task) replaces the
unit path's own: "the tasks my subtree coordinates that are led outside it" is then a few
index ranges (issue #3, ``selectors._led_outside_q``)."""

from collections import defaultdict
from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import tiendo.core.fields
from tiendo.core.fields import common_depth

CHUNK = 2_000  # ids in one UPDATE (SQLite's limit on parameters)


def fill(apps: Any, schema_editor: Any) -> None:
    """Each row updated once: on PostgreSQL a second update of a row written in the same
    transaction queues its foreign key checks until the commit, and the index below could not
    be built (``pending trigger events``)."""
    db = schema_editor.connection.alias
    Task = apps.get_model("programs", "Task")
    TaskCoordination = apps.get_model("programs", "TaskCoordination")
    rows = TaskCoordination.objects.using(db)
    depths: dict[int, list[int]] = defaultdict(list)
    paths = rows.order_by().values_list("pk", "unit_path", "task__lead_unit_path")
    for pk, unit_path, lead_unit_path in paths.iterator(chunk_size=10_000):
        depths[common_depth(unit_path, lead_unit_path)].append(pk)
    lead = Task.objects.using(db).filter(pk=OuterRef("task_id")).values("lead_unit_path")[:1]
    for depth, ids in depths.items():
        for start in range(0, len(ids), CHUNK):
            rows.filter(pk__in=ids[start : start + CHUNK]).update(
                lead_unit_path=Subquery(lead), common_depth=depth
            )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE programs_taskcoordination")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("programs", "0003_task_program_lead_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskcoordination",
            name="common_depth",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="taskcoordination",
            name="lead_unit_path",
            field=tiendo.core.fields.TreePathField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="taskcoordination",
            name="unit_path",
            field=tiendo.core.fields.TreePathField(editable=False, max_length=255),
        ),
        migrations.AddIndex(
            model_name="taskcoordination",
            index=models.Index(
                fields=["common_depth", "unit_path", "task"], name="coordination_led_outside"
            ),
        ),
    ]
