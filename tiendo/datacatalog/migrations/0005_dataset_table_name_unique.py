"""Schema, step 3 of 3: every dataset has its own warehouse table name (unique, not null)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("datacatalog", "0004_dataset_table_name_fill")]

    operations = [
        migrations.AlterField(
            model_name="dataset",
            name="table_name",
            field=models.CharField(
                editable=False, max_length=63, unique=True, verbose_name="warehouse table"
            ),
        ),
    ]
