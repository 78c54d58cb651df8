# The period name is computed in the reader's language (ReportPeriod.label), no longer stored.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_reporting_regime"),
    ]

    operations = [
        # A default first, so that reversing (adding the column back) works on existing rows.
        migrations.AlterField(
            model_name="reportperiod",
            name="label",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="period"),
        ),
        migrations.RemoveField(
            model_name="reportperiod",
            name="label",
        ),
    ]
