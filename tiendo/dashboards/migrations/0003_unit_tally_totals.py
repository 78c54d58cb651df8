"""An index (ancestor, status code, visibility, count) on the tally: a task list's total is read
from it alone (issue #3, ``programs.selectors._read_tally``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0002_summary_tables")]

    operations = [
        migrations.AddIndex(
            model_name="unittally",
            index=models.Index(fields=["anc", "code", "vis", "n"], name="unit_tally_totals"),
        ),
    ]
