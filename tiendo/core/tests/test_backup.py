"""Backup and restore round trip, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tiendo.programs.models import Evidence, ProgressUpdate, Task
from tiendo.programs.services import progress_submit
from tiendo.programs.tests.factories import make_program, make_task, make_unit


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_everything_back(tmp_path: Path) -> None:
    # Given tasks with progress and an evidence file
    unit = make_unit()
    task = make_task(program=make_program(owner=unit), lead_unit=unit)
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7 evidence")
    progress_submit(
        actor=task.assignee, task=task, as_of=dt.date(2024, 5, 1), percent=60, files=[pdf]
    )
    evidence = Evidence.objects.get()
    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    before = list(Task.objects.order_by("pk").values_list("pk", "title", "latest_percent"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))

    # When the data are damaged: an update deleted, a title changed, the file lost
    ProgressUpdate.objects.filter(pk=evidence.update_id).update(narrative="tampered")
    Task.objects.filter(pk=task.pk).update(title="changed", latest_percent=5)
    stored.unlink()

    # Then restoring the backup brings back the data and the file
    call_command("restore", str(archive), yes=True)
    assert list(Task.objects.order_by("pk").values_list("pk", "title", "latest_percent")) == before
    assert ProgressUpdate.objects.get().narrative == ""
    assert stored.read_bytes() == b"%PDF-1.7 evidence"


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_an_unsafe_path_is_refused(tmp_path: Path) -> None:
    import io
    import tarfile

    from django.core.management.base import CommandError

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"x"
        info = tarfile.TarInfo("../../etc/evil")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore", str(archive), yes=True)
