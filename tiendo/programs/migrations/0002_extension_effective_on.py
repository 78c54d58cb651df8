"""Deadline extensions get the date they apply from; existing rows take the day they were recorded."""

from django.db import migrations, models
from django.db.models.functions import TruncDate


def backfill(apps, schema_editor):
    Extension = apps.get_model("programs", "DeadlineExtension")
    Extension.objects.filter(effective_on__isnull=True).update(effective_on=TruncDate("created_at"))


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="deadlineextension",
            name="effective_on",
            field=models.DateField(null=True, verbose_name="effective on"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deadlineextension",
            name="effective_on",
            field=models.DateField(verbose_name="effective on"),
        ),
    ]
