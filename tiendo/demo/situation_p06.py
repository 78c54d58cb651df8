"""Situation 3: the province's plan to carry out Project 06 in 2024.

Figures: 10 task groups; 51 tasks (kind ``task``), 10 of them due in Q1/2024 and not done
(overdue); every other task is completed or ongoing ("Thường xuyên", never overdue). 38 pilot
models (kind ``pilot``): 6 completed, 20 in progress (started, not completed: past their 2024
deadlines they are now also overdue), 12 not started.
"""

from __future__ import annotations

from functools import partial

from tiendo.programs.models import Program, ProgramKind, TaskGroup, TaskKind
from tiendo.programs.services import group_create, program_create

from .builder import Builder, Report, d, done, started, waiting
from .situation_p06_tasks import build_p06_tasks

CODE = "thaian-da06-2024"
START = d("2024-01-26")
DISTRICTS = ("tp", "dongson", "tanlap", "phuhoa", "yenbinh", "longhai", "vinhloc")
GROUPS = (
    ("I", "Hoàn thiện thể chế, cơ chế, chính sách"),
    ("II", "Dịch vụ công trực tuyến thiết yếu"),
    ("III", "Phát triển công dân số, định danh và xác thực điện tử"),
    ("IV", "Làm giàu, khai thác Cơ sở dữ liệu quốc gia về dân cư"),
    ("V", "Hạ tầng kỹ thuật, bảo đảm an ninh, an toàn thông tin"),
    ("VI", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"),
    ("VII", "Thanh toán không dùng tiền mặt, chi trả an sinh xã hội"),
    ("VIII", "Tiện ích trong y tế, giáo dục"),
    ("IX", "Xây dựng, nhân rộng mô hình điểm"),
    ("X", "Tuyên truyền, kiểm tra, đôn đốc, báo cáo"),
)


def build_p06_plan(b: Builder) -> Program:
    b.actor = b.users["thuongtruc.da06"]
    program = program_create(
        actor=b.actor,
        code=CODE,
        name="Kế hoạch triển khai Đề án 06 năm 2024 trên địa bàn tỉnh Thái An",
        kind=ProgramKind.PLAN,
        description=(
            "Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử "
            "phục vụ chuyển đổi số quốc gia (Đề án 06) năm 2024: 10 nhóm nhiệm vụ, 51 nhiệm vụ "
            "và 38 mô hình điểm; Công an tỉnh là cơ quan thường trực Tổ công tác."
        ),
        owner_unit=b.units["tct.da06"],
        standing_office=b.units["cat"],
        decision_number="25/KH-UBND",
        decision_date=d("2024-01-26"),
        issuer="Ủy ban nhân dân tỉnh Thái An",
        start_year=2024,
        end_year=2024,
    )
    g = [
        group_create(actor=b.actor, program=program, number=number, name=name, position=i)
        for i, (number, name) in enumerate(GROUPS)
    ]
    build_p06_tasks(lambda i: partial(b.task, program=program, group=g[i], start=START))
    _pilots(b, program, g)
    return program


# Pilot models: (title, group index, deadline, product, quantity, unit of measure, lead units).
_PILOTS = (
    ("Mô hình khám chữa bệnh bằng căn cước gắn chip tại Trung tâm Y tế {name}", 7, "Quý III/2024",
     "Lượt khám chữa bệnh bằng căn cước gắn chip", 5000, "lượt", DISTRICTS),
    ("Mô hình chợ 4.0, thanh toán không dùng tiền mặt tại {name}", 6, "Tháng 10/2024",
     "Hộ kinh doanh chấp nhận thanh toán bằng mã QR", 200, "hộ kinh doanh", DISTRICTS[:6]),
    ("Mô hình trường học không dùng tiền mặt tại {name}", 7, "Năm 2024",
     "Trường học thu học phí không dùng tiền mặt", 20, "trường", DISTRICTS),
    ("Mô hình Bộ phận Một cửa không giấy tờ tại {name}", 5, "30/6/2024",
     "Hồ sơ tiếp nhận, trả kết quả không giấy tờ", 2000, "hồ sơ", DISTRICTS),
    ("Mô hình khu dân cư sử dụng định danh điện tử tại {name}", 2, "Quý IV/2024",
     "Người dân từ 14 tuổi có tài khoản định danh mức độ 2", 3000, "người",
     ("tp.tranphu", "dongson.dongha", "tanlap.tanphu", "yenbinh.yenhung", "vinhloc.vinhthanh")),
    ("Mô hình chi trả an sinh xã hội không dùng tiền mặt tại {name}", 6, "Năm 2024",
     "Người hưởng trợ cấp nhận qua tài khoản", 800, "người", DISTRICTS[1:]),
)  # fmt: skip
# The outcome of each of the 38 pilots, in order: D done, S started (not done), N not started.
OUTCOMES = (
    "DSSSNNS"  # khám chữa bệnh: 7
    "SSDNSN"  # chợ 4.0: 6
    "SDSSNSS"  # trường học: 7
    "DSSNNSN"  # một cửa: 7
    "SDNSN"  # khu dân cư: 5
    "SDSNNS"  # an sinh: 6
)


def _pilots(b: Builder, program: Program, groups: list[TaskGroup]) -> None:
    i = 0
    for title, group, deadline, product, qty, uom, leads in _PILOTS:
        for slug in leads:
            outcome = OUTCOMES[i]
            i += 1
            history: tuple[Report, ...] = ()
            if outcome == "D":
                history = done("2024-03-15", "2024-06-25")
            elif outcome == "S":
                history = started("2024-04-10", "2024-12-10", 30 + (i * 7) % 60)
            elif i % 3 == 0:
                history = waiting("2024-09-30", "Chưa được bố trí kinh phí xây dựng mô hình.")
            b.task(
                program=program,
                group=groups[group],
                number=f"MH{i}",
                kind=TaskKind.PILOT,
                title=title.format(name=b.units[slug].name.removeprefix("UBND ")),
                lead=slug,
                coord=("cat",),
                start=START,
                deadline=deadline,
                product=product,
                qty=qty,
                uom=uom,
                history=history,
            )
