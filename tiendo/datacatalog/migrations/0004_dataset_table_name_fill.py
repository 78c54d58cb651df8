"""Data, step 2 of 3: fill ``Dataset.table_name`` from the code.

Codes like ``dan-cu`` and ``dan_cu`` give one table name; before this migration both could be
declared. The dataset already published under the name keeps it (its publications' table),
otherwise the oldest; any other one gets ``<name>_<id>`` (its steward should choose a new code;
the catalogue refuses such clashes from now on). The normalisation is copied here on purpose:
migrations never import app code.
"""

from django.db import migrations

MAX = 63


def _name(code: str) -> str:
    name = code.strip().lower().replace("-", "_")
    if name and not name[0].isalpha():
        name = f"t_{name}"
    return name


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    dataset_model = apps.get_model("datacatalog", "Dataset")
    publication_model = apps.get_model("datacatalog", "Publication")
    published = set(publication_model.objects.values_list("dataset_id", "table_name"))
    rows = list(dataset_model.objects.order_by("id").values_list("id", "code"))
    # Those whose publications already carry the name go first, then the oldest.
    rows.sort(key=lambda r: ((r[0], _name(r[1])) not in published, r[0]))
    taken: set[str] = set()
    for pk, code in rows:
        name = _name(code)
        if name in taken or len(name) > MAX:
            suffix = f"_{pk}"
            name = name[: MAX - len(suffix)] + suffix
        taken.add(name)
        dataset_model.objects.filter(pk=pk).update(table_name=name)


class Migration(migrations.Migration):
    dependencies = [("datacatalog", "0003_dataset_table_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
