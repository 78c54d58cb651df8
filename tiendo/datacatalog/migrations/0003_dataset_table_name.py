"""Schema, step 1 of 3: the stored warehouse table name of a dataset, nullable while it is filled."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("datacatalog", "0002_warehouse_publications_products")]

    operations = [
        migrations.AddField(
            model_name="dataset",
            name="table_name",
            field=models.CharField(
                editable=False, max_length=63, null=True, verbose_name="warehouse table"
            ),
        ),
    ]
