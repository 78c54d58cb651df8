"""An index on (program, lead unit path): a program's tasks led outside given subtrees are
index ranges (the part of a committee's task list that the dashboards' tables do not count)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_extension_effective_on")]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["program", "lead_unit_path"], name="task_program_lead_path"),
        ),
    ]
