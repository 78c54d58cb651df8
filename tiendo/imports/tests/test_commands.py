import pytest
from django.core.management import CommandError, call_command

from tiendo.programs.models import Task

from .annexes import xlsx_annex
from .conftest import REALISTIC_ROWS

ROWS = [r for r in REALISTIC_ROWS if not (r and r[0] in ("4", "5"))]


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import-plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_prints_the_plan_and_writes_nothing(hp, tmp_path):
    # given an annex on disk
    path = tmp_path / "kh.xlsx"
    path.write_bytes(xlsx_annex(ROWS))
    # when run with --dry-run
    out, _err = run(str(path), "--program", "khcds-2024", "--dry-run", "--user", "van.phong")
    # then every row is listed with its action and nothing is written
    assert "create" in out
    assert "Rà soát quy trình nội bộ" in out
    assert "4 to create, 0 to update, 0 unchanged, 0 errors; 4 tasks need completing" in out
    assert "Dry run: nothing was written." in out
    assert Task.objects.count() == 0


def test_import_then_reimport_from_the_command_line(hp, tmp_path):
    path = tmp_path / "kh.xlsx"
    path.write_bytes(xlsx_annex(ROWS))
    out, _err = run(str(path), "--program", "khcds-2024", "--user", "van.phong")
    assert "Imported: 4 created, 0 updated." in out
    changed = [list(r) for r in ROWS]
    changed[1][1] = "Xây dựng và ban hành Kế hoạch chuyển đổi số năm 2024"
    path.write_bytes(xlsx_annex(changed))
    out, _err = run(str(path), "--program", "khcds-2024", "--user", "van.phong")
    assert "Imported: 0 created, 1 updated." in out
    assert Task.objects.count() == 4


def test_unknown_agencies_are_listed_and_can_be_resolved_by_code(hp, tmp_path):
    path = tmp_path / "kh.xlsx"
    path.write_bytes(xlsx_annex(REALISTIC_ROWS))
    with pytest.raises(CommandError, match="match no unit"):
        run(str(path), "--program", "khcds-2024", "--user", "van.phong", "--dry-run")
    assert Task.objects.count() == 0
    out, _err = run(
        str(path),
        "--program",
        "khcds-2024",
        "--user",
        "van.phong",
        "--unit",
        "Trung tâm Công nghệ thông tin=HP-STTTT-CNTT",
        "--unit",
        "Ngân hàng Nhà nước chi nhánh tỉnh=",
    )
    assert "Imported: 6 created" in out
    assert Task.objects.get(number="5").lead_unit.code == "HP-STTTT-CNTT"


def test_errors_and_refusals_are_reported(hp, tmp_path):
    path = tmp_path / "kh.xlsx"
    path.write_bytes(xlsx_annex([("1", "A", "Sở Nội vụ", "", "Quý V/2024", "")]))
    with pytest.raises(CommandError, match="Row 5, column E"):
        run(str(path), "--program", "khcds-2024", "--user", "van.phong")
    with pytest.raises(CommandError, match="No program"):
        run(str(path), "--program", "khcds-2024", "--user", "ngoai.tinh")
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "none.xlsx"), "--program", "khcds-2024", "--user", "van.phong")
    assert Task.objects.count() == 0
