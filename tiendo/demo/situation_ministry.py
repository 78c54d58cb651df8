"""Situation 2: the Ministry of National Defence's 2024 DX plan.

Figures: 17 investment projects (kind ``project``) led by 16 units (Văn phòng leads two):
2 appraised on time (completed on time), 15 behind schedule. "Behind schedule" is chosen to mean
*overdue*: not appraised and past the (possibly extended) appraisal deadline, all of which fall
in 2024. Then 46 tasks led by 35 units: 45 completed (42 on time, 3 late), 1 not (overdue).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from tiendo.core.deadlines import parse_deadline
from tiendo.programs.models import Program, ProgramKind, TaskKind
from tiendo.programs.services import group_create, program_create

from .builder import Builder, Extension, Report, d, done, started, waiting

CODE = "bqp-cds-2024"
APPRAISERS = ("bqp.btl86", "bqp.ckhdt")
START = d("2024-01-15")
APPRAISAL = "Hồ sơ dự án được thẩm định, phê duyệt"


def build_ministry_plan(b: Builder) -> Program:
    b.actor = b.users["btl86.vanphong"]
    program = program_create(
        actor=b.actor,
        code=CODE,
        name="Kế hoạch chuyển đổi số năm 2024 của Bộ Quốc phòng",
        kind=ProgramKind.PLAN,
        description=(
            "Các dự án đầu tư ứng dụng công nghệ thông tin, chuyển đổi số và nhiệm vụ chuyển đổi "
            "số năm 2024 của các cơ quan, đơn vị; Bộ Tư lệnh 86 là cơ quan thường trực, "
            "thẩm định các dự án cùng Cục Kế hoạch và Đầu tư."
        ),
        owner_unit=b.units["bqp.bcd"],
        standing_office=b.units["bqp.btl86"],
        decision_number="135/KH-BQP",
        decision_date=d("2024-01-12"),
        issuer="Bộ Quốc phòng",
        start_year=2024,
        end_year=2024,
    )
    projects = group_create(
        actor=b.actor,
        program=program,
        number="I",
        name="Dự án đầu tư ứng dụng công nghệ thông tin, chuyển đổi số",
        position=0,
    )
    tasks = group_create(
        actor=b.actor,
        program=program,
        number="II",
        name="Nhiệm vụ chuyển đổi số của các cơ quan, đơn vị",
        position=1,
    )
    _projects(
        partial(
            b.task,
            program=program,
            group=projects,
            kind=TaskKind.PROJECT,
            coord=APPRAISERS,
            start=START,
            product=APPRAISAL,
            qty=1,
            uom="hồ sơ",
        )
    )
    _tasks(b, partial(b.task, program=program, group=tasks, start=START))
    return program


def _appraisal_started(first: str, last: str, percent: int, note: str) -> tuple[Report, ...]:
    return (
        Report(d(first), max(10, percent // 2), "Đã nộp hồ sơ đề nghị thẩm định."),
        Report(
            d(last),
            percent,
            "Đang hoàn thiện hồ sơ theo ý kiến thẩm định.",
            difficulties=note,
            proposals="Đề nghị cơ quan thẩm định rút ngắn thời gian cho ý kiến.",
        ),
    )


def _projects(t: partial) -> None:
    """17 projects, 16 lead units; 1 and 7 appraised on time, the other 15 overdue."""
    t(
        number="1.1",
        title="Dự án Trung tâm dữ liệu Bộ Quốc phòng (giai đoạn 2)",
        lead="bqp.bttm",
        deadline="Quý III/2024",
        history=_appraisal_started(
            "2024-04-10", "2024-09-20", 60, "Quy mô đầu tư thay đổi, phải lập lại tổng mức đầu tư."
        ),
    )
    t(
        number="1.2",
        title="Dự án mở rộng Hệ thống quản lý văn bản và điều hành điện tử dùng chung Bộ Quốc phòng",
        lead="bqp.vp",
        deadline="30/6/2024",
        history=done("2024-03-05", "2024-06-21"),
    )
    t(
        number="1.3",
        title="Dự án Cơ sở dữ liệu quân nhân (giai đoạn 2)",
        lead="bqp.cql",
        deadline="Quý II/2024",
        extension=Extension(
            "Quý III/2024", "Bổ sung yêu cầu kết nối Cơ sở dữ liệu quốc gia về dân cư."
        ),
        history=_appraisal_started(
            "2024-05-15", "2024-10-30", 70, "Chưa thống nhất phương án kết nối dữ liệu."
        ),
    )
    t(
        number="1.4",
        title="Dự án Hệ thống thông tin quản lý cán bộ",
        lead="bqp.ccb",
        deadline="Quý III/2024",
        history=_appraisal_started(
            "2024-06-20", "2024-11-15", 50, "Phải bổ sung đánh giá an toàn thông tin theo cấp độ."
        ),
    )
    t(
        number="1.5",
        title="Dự án Cơ sở dữ liệu chính sách, người có công trong quân đội",
        lead="bqp.ccs",
        deadline="Tháng 9/2024",
        history=waiting("2024-09-30", "Chưa được bố trí vốn chuẩn bị đầu tư."),
    )
    t(
        number="1.6",
        title="Dự án Bệnh viện thông minh, bệnh án điện tử tại Bệnh viện Trung ương Quân đội 108",
        lead="bqp.bv108",
        deadline="Quý III/2024",
        history=_appraisal_started(
            "2024-05-30",
            "2024-10-15",
            40,
            "Yêu cầu kỹ thuật liên thông với Bảo hiểm xã hội chưa được hướng dẫn.",
        ),
    )
    t(
        number="1.7",
        title="Dự án Hệ thống quản lý tài chính, ngân sách quốc phòng",
        lead="bqp.ctc",
        deadline="Quý III/2024",
        history=done("2024-04-01", "2024-08-29"),
    )
    t(
        number="1.8",
        title="Dự án Hệ thống thông tin quản lý đầu tư xây dựng",
        lead="bqp.ckhdt",
        deadline="Tháng 10/2024",
        history=_appraisal_started(
            "2024-07-15", "2024-11-20", 45, "Đơn vị tư vấn lập dự án chậm tiến độ."
        ),
    )
    t(
        number="1.9",
        title="Dự án Nền tảng học tập trực tuyến cho các học viện, nhà trường quân đội",
        lead="bqp.hvqp",
        deadline="Quý III/2024",
        history=waiting("2024-09-30", "Chưa thống nhất đơn vị chủ đầu tư giữa các học viện."),
    )
    t(
        number="1.10",
        title="Dự án Số hóa kho lưu trữ tài liệu của Bộ Quốc phòng",
        lead="bqp.vp",
        deadline="Quý IV/2024",
        history=_appraisal_started(
            "2024-08-15",
            "2024-12-10",
            55,
            "Khối lượng tài liệu cần số hóa lớn hơn dự kiến, phải điều chỉnh dự toán.",
        ),
    )
    t(
        number="1.11",
        title="Dự án Hệ thống quản lý trang bị kỹ thuật",
        lead="bqp.tckt",
        deadline="Quý III/2024",
        history=_appraisal_started(
            "2024-06-10", "2024-10-25", 65, "Phải rà soát lại danh mục trang bị cần quản lý."
        ),
    )
    t(
        number="1.12",
        title="Dự án Hệ thống quản lý hậu cần, kho xăng dầu",
        lead="bqp.tchc",
        deadline="Tháng 9/2024",
        history=waiting("2024-09-30", "Đang xin ý kiến các đơn vị về yêu cầu nghiệp vụ."),
    )
    t(
        number="1.13",
        title="Dự án Phần mềm quản lý dân quân tự vệ",
        lead="bqp.cdqtv",
        deadline="Quý III/2024",
        extension=Extension("Quý IV/2024", "Chờ Luật Dân quân tự vệ sửa đổi có hiệu lực."),
        history=_appraisal_started(
            "2024-07-01", "2024-12-05", 75, "Quy trình nghiệp vụ thay đổi theo quy định mới."
        ),
    )
    t(
        number="1.14",
        title="Dự án Hệ thống giám sát an toàn thông tin mạng nội bộ (SOC) cấp Bộ",
        lead="bqp.pkkq",
        deadline="Quý III/2024",
        history=_appraisal_started(
            "2024-05-20",
            "2024-10-30",
            35,
            "Thiết bị chuyên dụng phải nhập khẩu, kéo dài thời gian khảo sát giá.",
        ),
    )
    t(
        number="1.15",
        title="Dự án Nâng cấp hạ tầng truyền dẫn mạng truyền số liệu quân sự",
        lead="bqp.ttll",
        deadline="Tháng 8/2024",
        history=_appraisal_started(
            "2024-04-25", "2024-09-30", 80, "Chờ ý kiến thống nhất về phương án tần số."
        ),
    )
    t(
        number="1.16",
        title="Dự án Hệ thống thông tin quản lý biên giới",
        lead="bqp.bdbp",
        deadline="Quý IV/2024",
        history=waiting("2024-12-15", "Chưa hoàn thành khảo sát tại các đồn biên phòng."),
    )
    t(number="1.17", title="Dự án Hệ thống thông tin chỉ huy, điều hành tìm kiếm cứu nạn", lead="bqp.cchcn",
      deadline="Quý III/2024")  # fmt: skip


# (unit, title template, product, quantity, unit of measure): a base task for each of 35 units.
_TEMPLATES = (
    ("Ký số, gửi nhận văn bản điện tử trên Hệ thống quản lý văn bản và điều hành tại {unit}",
     "Tỷ lệ văn bản đi (trừ văn bản mật) được ký số", 100, "%"),
    ("Số hóa hồ sơ, tài liệu lưu trữ năm 2024 của {unit}",
     "Hồ sơ lưu trữ được số hóa, cập nhật vào hệ thống", 5000, "hồ sơ"),
    ("Cập nhật, làm sạch dữ liệu quân nhân của {unit} vào Cơ sở dữ liệu quân nhân",
     "Hồ sơ quân nhân được cập nhật, làm sạch", 3000, "hồ sơ"),
    ("Bồi dưỡng kỹ năng số, an toàn thông tin cho cán bộ, nhân viên {unit}",
     "Lượt cán bộ, nhân viên được bồi dưỡng", 200, "lượt người"),
    ("Đánh giá, phê duyệt cấp độ an toàn hệ thống thông tin của {unit}",
     "Hệ thống thông tin được phê duyệt cấp độ", 2, "hệ thống"),
    ("Triển khai phần mềm quản lý huấn luyện, giáo dục - đào tạo tại {unit}",
     "Phần mềm được triển khai, đưa vào sử dụng", 1, "phần mềm"),
)  # fmt: skip
TASK_UNITS = (
    "bqp.vp", "bqp.bttm", "bqp.cql", "bqp.cdqtv", "bqp.cchcn", "bqp.tcct", "bqp.ccb", "bqp.ccs",
    "bqp.cth", "bqp.tchc", "bqp.cqy", "bqp.tckt", "bqp.tccnqp", "bqp.ckhdt", "bqp.ctc", "bqp.ckhqs",
    "bqp.tt", "bqp.qk1", "bqp.qk2", "bqp.qk3", "bqp.qk4", "bqp.qk5", "bqp.qk7", "bqp.qk9",
    "bqp.btlthd", "bqp.pkkq", "bqp.hq", "bqp.bdbp", "bqp.csb", "bqp.ttll", "bqp.cb", "bqp.qd12",
    "bqp.qd34", "bqp.hvqp", "bqp.hvktqs",
)  # fmt: skip
_DEADLINES = ("Quý II/2024", "Tháng 9/2024", "Năm 2024", "30/11/2024", "Quý III/2024")


def _tasks(b: Builder, t: partial) -> None:
    """46 tasks over 35 units: one base task each, then 11 specific ones; only the last is open."""
    for i, slug in enumerate(TASK_UNITS):
        title, product, qty, uom = _TEMPLATES[i % len(_TEMPLATES)]
        deadline = _DEADLINES[i % len(_DEADLINES)]
        due = parse_deadline(deadline).due
        assert due is not None
        finish = due - dt.timedelta(days=10)
        extension = None
        if i in (8, 21):  # extended, then completed within the new deadline
            extension = Extension(
                "Năm 2024",
                "Đơn vị tham gia diễn tập, huấn luyện trong thời gian dự kiến triển khai.",
            )
            finish = d("2024-12-16")
        elif i in (4, 17, 30):  # completed after the deadline: late
            finish = due + dt.timedelta(days=25)
        t(number=f"2.{i + 1}", title=title.format(unit=b.units[slug].name), lead=slug,
          deadline=deadline, product=product, qty=qty, uom=uom, extension=extension,
          history=done("2024-02-20", finish.isoformat()))  # fmt: skip
    n = len(TASK_UNITS)
    t(
        number=f"2.{n + 1}",
        title="Xây dựng Trung tâm điều hành số của Bộ Tổng Tham mưu",
        lead="bqp.bttm",
        coord=("bqp.btl86",),
        deadline="Quý IV/2024",
        product="Trung tâm điều hành số vận hành",
        qty=1,
        uom="trung tâm",
        history=done("2024-03-15", "2024-12-12"),
    )
    t(
        number=f"2.{n + 2}",
        title="Số hóa hồ sơ chính sách, khen thưởng trong Tổng cục Chính trị",
        lead="bqp.tcct",
        deadline="Năm 2024",
        product="Hồ sơ chính sách, khen thưởng được số hóa",
        qty=20000,
        uom="hồ sơ",
        history=done("2024-02-28", "2024-11-25"),
    )
    t(
        number=f"2.{n + 3}",
        title="Triển khai quản lý kho vật tư hậu cần bằng mã vạch",
        lead="bqp.tchc",
        deadline="Quý III/2024",
        product="Kho được quản lý bằng mã vạch",
        qty=12,
        uom="kho",
        history=done("2024-03-10", "2024-09-18"),
    )
    t(
        number=f"2.{n + 4}",
        title="Xây dựng thư viện số tài liệu kỹ thuật",
        lead="bqp.tckt",
        deadline="Năm 2024",
        product="Tài liệu kỹ thuật được số hóa",
        qty=15000,
        uom="tài liệu",
        history=done("2024-03-01", "2024-12-02"),
    )
    t(
        number=f"2.{n + 5}",
        title="Triển khai phần mềm quản lý quân nhân dự bị trên địa bàn Quân khu 1",
        lead="bqp.qk1",
        deadline="Tháng 10/2024",
        product="Đơn vị cấp huyện sử dụng phần mềm",
        qty=38,
        uom="đơn vị",
        history=done("2024-04-01", "2024-10-11"),
    )
    t(
        number=f"2.{n + 6}",
        title="Kết nối hệ thống hội nghị truyền hình đến các Bộ Chỉ huy quân sự tỉnh, Quân khu 7",
        lead="bqp.qk7",
        deadline="Quý III/2024",
        product="Điểm cầu hội nghị truyền hình",
        qty=9,
        uom="điểm cầu",
        history=done("2024-02-26", "2024-08-30"),
    )
    t(
        number=f"2.{n + 7}",
        title="Ứng dụng nền tảng số quản lý tàu thuyền, cảng quân sự",
        lead="bqp.hq",
        deadline="Năm 2024",
        product="Cảng quân sự áp dụng nền tảng",
        qty=5,
        uom="cảng",
        history=done("2024-03-20", "2024-12-18"),
    )
    t(
        number=f"2.{n + 8}",
        title="Triển khai thủ tục xuất nhập cảnh điện tử tại các cửa khẩu biên giới",
        lead="bqp.bdbp",
        coord=("bqp.btl86",),
        deadline="Quý III/2024",
        product="Cửa khẩu áp dụng thủ tục điện tử",
        qty=20,
        uom="cửa khẩu",
        history=done("2024-02-22", "2024-09-25"),
    )
    t(
        number=f"2.{n + 9}",
        title="Bảo đảm kết nối mạng truyền số liệu quân sự đến cấp trung đoàn",
        lead="bqp.ttll",
        deadline="Năm 2024",
        product="Đơn vị cấp trung đoàn được kết nối",
        qty=120,
        uom="đơn vị",
        history=done("2024-01-30", "2024-11-29"),
    )
    t(
        number=f"2.{n + 10}",
        title="Xây dựng học liệu số cho chương trình bồi dưỡng kiến thức quốc phòng",
        lead="bqp.hvqp",
        deadline="Tháng 11/2024",
        product="Bài giảng điện tử",
        qty=60,
        uom="bài giảng",
        history=done("2024-03-05", "2024-11-22"),
    )
    t(number=f"2.{n + 11}", title="Xây dựng phòng thí nghiệm an toàn thông tin phục vụ đào tạo", lead="bqp.hvktqs",
      coord=("bqp.btl86",), deadline="Năm 2024", product="Phòng thí nghiệm đưa vào sử dụng", qty=1, uom="phòng",
      history=(*started("2024-04-15", "2024-12-20", 85),),
      description="Nhiệm vụ duy nhất chưa hoàn thành trong năm 2024: thiết bị về chậm.")  # fmt: skip
