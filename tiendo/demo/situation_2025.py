"""Outside the three counted situations: the province's 2025 plan, a paused task, drafts and the
2025 district merger.

Kept in a program of its own so that no figure of the three situations depends on how a
dashboard treats drafts or held tasks: the drafts (five clears incomplete) and the paused task
live only here. The merger happens after every 2022-2024 report, so the reports of Vĩnh Lộc
stay attributed to Vĩnh Lộc while its open tasks and communes move to Phú Hòa.
"""

from __future__ import annotations

from decimal import Decimal

from tiendo.accounts.models import Role
from tiendo.core.deadlines import parse_deadline
from tiendo.orgs.services import unit_merge
from tiendo.programs.models import Program, ProgramKind, Task, TaskGroup
from tiendo.programs.services import group_create, program_create, task_create, task_set_hold

from .builder import Builder, Report, d, started

CODE = "thaian-cds-2025"
MERGER_DATE = d("2025-07-01")


def build_2025_plan(b: Builder) -> Program:
    b.actor = b.users["vanphong"]
    program = program_create(
        actor=b.actor,
        code=CODE,
        name="Kế hoạch chuyển đổi số tỉnh Thái An năm 2025",
        kind=ProgramKind.PLAN,
        description="Nhiệm vụ năm cuối của giai đoạn 2022-2025; đang bổ sung, hoàn thiện.",
        owner_unit=b.units["bcd.cds"],
        standing_office=b.units["sotttt"],
        decision_number="18/KH-UBND",
        decision_date=d("2025-01-20"),
        issuer="Ủy ban nhân dân tỉnh Thái An",
        start_year=2025,
        end_year=2025,
    )
    group = group_create(actor=b.actor, program=program, number="I", name="Nhiệm vụ trọng tâm")
    start = d("2025-01-20")

    # The paused task: reported once, then paused by the committee leader with a reason.
    paused = b.task(
        program=program,
        group=group,
        number="1",
        title="Nâng cấp Trung tâm dữ liệu tỉnh (giai đoạn 2)",
        lead="ttcntt",
        coord=("sotttt", "sotc"),
        start=start,
        deadline="Năm 2025",
        product="Trung tâm dữ liệu đạt tiêu chuẩn Tier III",
        qty=1,
        uom="trung tâm dữ liệu",
        history=(Report(d("2025-02-28"), 15, "Đã hoàn thành khảo sát hiện trạng, lập đề cương."),),
    )
    paused.refresh_from_db()
    task_set_hold(
        actor=b.users["chutich"],
        task=paused,
        version=paused.version,
        state="paused",
        reason=(
            "Tạm dừng để rà soát quy mô đầu tư theo phương án sắp xếp đơn vị hành chính; "
            "chờ phương án dùng chung hạ tầng với Trung tâm dữ liệu quốc gia."
        ),
        effective_on=d("2025-03-20"),
    )

    # A task of the district that is merged: its history is split across the merger.
    platform = b.task(
        program=program,
        group=group,
        number="2",
        title="Triển khai nền tảng số cấp xã dùng chung tại huyện Vĩnh Lộc",
        lead="vinhloc",
        coord=("sotttt",),
        start=start,
        deadline="Quý IV/2025",
        product="Xã sử dụng nền tảng số dùng chung",
        qty=12,
        uom="xã",
        history=started("2025-03-31", "2025-06-15", 40),
    )
    b.task(
        program=program,
        group=group,
        number="3",
        title="Tổng kết Kế hoạch chuyển đổi số giai đoạn 2022-2025",
        lead="sotttt",
        start=start,
        deadline="Quý IV/2025",
        product="Báo cáo tổng kết giai đoạn 2022-2025",
        qty=1,
        uom="báo cáo",
    )
    _drafts(b, program, group)
    _merge_vinh_loc(b, platform)
    return program


def _drafts(b: Builder, program: Program, group: TaskGroup) -> None:
    """Three drafts, each lacking a different clear: they cannot be assigned yet."""
    year = parse_deadline("Năm 2025")
    task_create(  # no person: nobody carries it yet
        actor=b.actor,
        program=program,
        group=group,
        number="4",
        title="Xây dựng bản đồ số tỉnh Thái An",
        lead_unit=b.units["sotnmt"],
        accountable_leader=b.heads["sotnmt"],
        deadline_kind=year.kind,
        deadline=year.due,
        product="Bản đồ số dùng chung của tỉnh",
        product_quantity=Decimal(1),
        product_unit="bản đồ",
    )
    task_create(  # no time: the deadline is still being discussed
        actor=b.actor,
        program=program,
        group=group,
        number="5",
        title="Thí điểm trợ lý ảo hỗ trợ cán bộ, công chức soạn thảo văn bản",
        lead_unit=b.units["sotttt"],
        accountable_leader=b.heads["sotttt"],
        assignee=b.officer("sotttt"),
        product="Trợ lý ảo được đưa vào sử dụng",
        product_quantity=Decimal(1),
        product_unit="hệ thống",
    )
    task_create(  # no responsibility and no quantified product: an idea, not yet a task
        actor=b.actor,
        program=program,
        group=group,
        number="6",
        title="Phát triển kinh tế số nông thôn gắn với chương trình OCOP",
        deadline_kind=year.kind,
        deadline=year.due,
        product="Sản phẩm OCOP được bán trên sàn thương mại điện tử",
    )


def _merge_vinh_loc(b: Builder, platform: Task) -> None:
    """Vĩnh Lộc merges into Phú Hòa on 1/7/2025; Phú Hòa reports on the task afterwards."""
    unit_merge(
        source=b.units["vinhloc"],
        target=b.units["phuhoa"],
        effective_on=MERGER_DATE,
        actor=b.users["chutich"],
        note=(
            "Nhập toàn bộ diện tích tự nhiên, quy mô dân số của huyện Vĩnh Lộc vào huyện Phú Hòa "
            "theo Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính."
        ),
    )
    # The district's officer now works for Phú Hòa.
    b.grant(b.officers["vinhloc"], "phuhoa", Role.UNIT_OFFICER)
    platform.refresh_from_db()
    b.report(
        platform,
        Report(
            d("2025-09-30"),
            65,
            "Sau sáp nhập, huyện Phú Hòa tiếp nhận và mở rộng nền tảng cho các xã của Vĩnh Lộc.",
        ),
        reporter=b.officer("phuhoa"),
        qty=12,
        uom="xã",
    )
