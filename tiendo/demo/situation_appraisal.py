"""Situation 2, continued: the appraisal of the ministry's 17 investment projects.

Bộ Tư lệnh 86 receives, checks and appraises the dossiers (asking other bodies for opinions),
Cục Kế hoạch và Đầu tư does the internal appraisal, the steering committee approves. Written
through ``tiendo.appraisals.services``, so the figures come from the steps themselves: as of any
day from 1/1/2025, **2 appraised on time** (1.2 and 1.7, each once returned and resubmitted, then
approved on the day the task records its completion) and **15 behind schedule** (each has a
step finished late or still open past its limit; every limit ends in 2024).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tiendo.appraisals.consultation import (
    consultation_answer,
    consultation_mark_not_answered,
    consultation_respond,
    consultation_send,
)
from tiendo.appraisals.kpi_services import indicator_create, indicator_report, indicator_set_target
from tiendo.appraisals.models import Answer, Appraisal, DocumentKind, Response
from tiendo.appraisals.services import (
    StepSpec,
    appraisal_attach,
    appraisal_pass_step,
    appraisal_resubmit,
    appraisal_return,
    appraisal_steps_configure,
    appraisal_submit,
)
from tiendo.calendars.workdays import add_working_days, next_working_day
from tiendo.programs.models import Program, Task

from .builder import Builder, d
from .situation_ministry import CODE, TASK_UNITS
from .situation_p06 import CODE as P06_CODE

# (name, working days, body); the limits are the ministry's, the bodies its units.
PROCEDURE = (
    ("Tiếp nhận hồ sơ đề nghị thẩm định", 2, "bqp.btl86"),
    ("Kiểm tra tính đầy đủ, hợp lệ của hồ sơ", 5, "bqp.btl86"),
    ("Thẩm định, lấy ý kiến các cơ quan liên quan", 20, "bqp.btl86"),
    ("Thẩm định nội bộ nguồn vốn, tổng mức đầu tư", 10, "bqp.ckhdt"),
    ("Phê duyệt dự án", 5, "bqp.bcd"),
)
OPINION_BODIES = ("bqp.ckhdt", "bqp.ctc")

# Events after submission: ("pass", working days taken), ("return", working days, reason),
# ("resubmit", calendar days later). The last step entered stays open.
LACK_DOCS = "Hồ sơ thiếu báo cáo nghiên cứu khả thi và ý kiến thẩm định thiết kế cơ sở."
BEHIND: dict[str, tuple[str, tuple[tuple, ...]]] = {
    "1.1": ("2024-04-10", (("pass", 1), ("pass", 4), ("pass", 18),
            ("return", 12, "Quy mô đầu tư thay đổi, phải lập lại tổng mức đầu tư."), ("resubmit", 60))),
    "1.3": ("2024-05-15", (("pass", 2), ("pass", 5), ("pass", 26))),
    "1.4": ("2024-06-20", (("pass", 1),
            ("return", 5, "Thiếu hồ sơ đánh giá an toàn thông tin theo cấp độ."), ("resubmit", 40),
            ("pass", 3))),
    "1.5": ("2024-07-15", (("pass", 1),
            ("return", 4, "Chưa có quyết định bố trí vốn chuẩn bị đầu tư."), ("resubmit", 30))),
    "1.6": ("2024-05-30", (("pass", 2), ("pass", 5))),
    "1.8": ("2024-07-15", (("pass", 1), ("pass", 7), ("pass", 19))),
    "1.9": ("2024-06-03", (("pass", 3),)),
    "1.10": ("2024-08-15", (("pass", 2), ("pass", 5))),
    "1.11": ("2024-06-10", (("pass", 1), ("pass", 5), ("pass", 22), ("pass", 9))),
    "1.12": ("2024-07-01", (("pass", 2),
             ("return", 5, "Yêu cầu nghiệp vụ chưa được các đơn vị thống nhất."), ("resubmit", 45))),
    "1.13": ("2024-07-01", (("pass", 1), ("pass", 4), ("pass", 24))),
    "1.14": ("2024-05-20", (("pass", 2), ("pass", 5),
             ("return", 25, "Phải bổ sung báo giá thiết bị chuyên dụng nhập khẩu."), ("resubmit", 50))),
    "1.15": ("2024-04-25", (("pass", 1), ("pass", 5), ("pass", 20), ("pass", 14))),
    "1.16": ("2024-10-01", (("pass", 2),)),
    "1.17": ("2024-08-01", (("pass", 4),)),
}  # fmt: skip
# Appraised on time: submitted, returned once at step 2, resubmitted so that the five steps
# (taking 1, 3, 15, 8 and 3 working days) end on the day the task records its completion.
ON_TIME = {"1.2": ("2024-03-05", "2024-06-21"), "1.7": ("2024-04-01", "2024-08-29")}
ON_TIME_TAKES = (3, 15, 8, 3)  # steps 2-5 after resubmission


class _Walker:
    """Plays one project's events through the services, keeping the current day."""

    def __init__(self, b: Builder, task: Task) -> None:
        self.b, self.task = b, task
        self.owner = task.assignee
        self.deciders = {
            "bqp.btl86": b.users["thamdinh"],
            "bqp.ckhdt": b.heads["bqp.ckhdt"],
            "bqp.bcd": b.heads["bqp.bcd"],
        }
        self.appraisal: Appraisal | None = None
        self.day = dt.date.min

    def _decider(self) -> object:
        step = self.appraisal.steps.get(finished_on__isnull=True)  # type: ignore[union-attr]
        return self.deciders[PROCEDURE[step.position - 1][2]]

    def submit(self, day: dt.date) -> None:
        self.day = day
        self.appraisal = appraisal_submit(actor=self.owner, task=self.task, on=day)
        step = self.appraisal.steps.get()
        appraisal_attach(
            actor=self.owner, step=step, kind=DocumentKind.DOCUMENT, on=day,
            title="Tờ trình đề nghị thẩm định dự án kèm hồ sơ",
        )  # fmt: skip

    def play(self, event: tuple) -> None:
        assert self.appraisal is not None
        if event[0] == "resubmit":
            self.day = next_working_day(self.day + dt.timedelta(days=event[1]))
            self.appraisal = appraisal_resubmit(
                actor=self.owner, appraisal=self.appraisal, on=self.day
            )
            return
        self.day = add_working_days(self.day, event[1])
        if event[0] == "pass":
            self.appraisal = appraisal_pass_step(
                actor=self._decider(), appraisal=self.appraisal, on=self.day
            )
            self._opinions()
        else:
            self.appraisal = appraisal_return(
                actor=self._decider(), appraisal=self.appraisal, on=self.day, reason=event[2]
            )

    def _opinions(self) -> None:
        """Entering step 3, the appraiser asks other bodies; they answer within 3 working days."""
        assert self.appraisal is not None
        step = self.appraisal.steps.filter(finished_on__isnull=True, position=3).first()
        if step is None:
            return
        for i, slug in enumerate(OPINION_BODIES, start=2):
            appraisal_attach(
                actor=self.b.heads[slug], step=step, kind=DocumentKind.OPINION,
                unit=self.b.units[slug], on=add_working_days(step.started_on, i),
                title="Văn bản góp ý hồ sơ dự án", text="Thống nhất về sự cần thiết đầu tư; đề nghị rà soát dự toán.",
            )  # fmt: skip


def build_appraisals(b: Builder) -> None:
    """Configure the procedure of the ministry's plan and take its 17 projects through it."""
    program = Task.objects.filter(program__code=CODE).first().program  # type: ignore[union-attr]
    appraisal_steps_configure(
        actor=b.users["btl86.vanphong"],
        program=program,
        steps=[StepSpec(name, days, b.units[slug]) for name, days, slug in PROCEDURE],
    )
    projects = {t.number: t for t in Task.objects.filter(program=program, kind="project")}
    for number, (submitted, events) in BEHIND.items():
        walker = _Walker(b, projects[number])
        walker.submit(d(submitted))
        for event in events:
            walker.play(event)
    for number, (submitted, approved) in ON_TIME.items():
        walker = _Walker(b, projects[number])
        walker.submit(d(submitted))
        walker.play(("pass", 1))
        walker.play(("return", 2, LACK_DOCS))
        resubmit = add_working_days(d(approved), -sum(ON_TIME_TAKES))
        walker.play(("resubmit", (resubmit - walker.day).days))
        for took in ON_TIME_TAKES:
            walker.play(("pass", took))
        assert walker.appraisal is not None
        assert walker.appraisal.approved_on == d(approved)


# Situation 3, continued: the Project 06 plan's indicators, with the figures its tasks report.
P06_END = d("2024-12-31")
P06_INDICATORS = (
    # code, name, unit of measure, roll-up, target, [(measured on, value)], source
    ("DA06-DVC", "Dịch vụ công thiết yếu theo Đề án 06 được cung cấp trực tuyến", "dịch vụ", "sum",
     53, (("2024-03-31", 21), ("2024-06-30", 38), ("2024-09-30", 48), ("2024-11-30", 53)),
     "Cổng Dịch vụ công quốc gia"),
    ("DA06-KGT", "Dịch vụ công không giấy tờ, tái sử dụng dữ liệu đã số hóa", "dịch vụ", "sum",
     20, (("2024-06-30", 7), ("2024-09-30", 14), ("2024-12-20", 22)), "Hệ thống thông tin giải quyết TTHC tỉnh"),
)  # fmt: skip
# Online application rate per district (%), averaged for the province: target 50 % each.
P06_RATE = {
    "tp": 58,
    "dongson": 44,
    "tanlap": 39,
    "phuhoa": 51,
    "yenbinh": 36,
    "longhai": 47,
    "vinhloc": 41,
}


def build_p06_indicators(b: Builder) -> None:
    """The 53 and 20 service targets with their reported actuals, and the online rate."""
    actor = b.users["thuongtruc.da06"]
    program = Program.objects.get(code=P06_CODE)
    province = b.units["tinh"]
    for code, name, uom, rollup, target, values, source in P06_INDICATORS:
        indicator = indicator_create(
            actor=actor,
            program=program,
            code=code,
            name=name,
            unit_of_measure=uom,
            aggregation=rollup,
        )
        indicator_set_target(
            actor=actor,
            indicator=indicator,
            unit=province,
            period_end=P06_END,
            target=Decimal(target),
        )
        for measured_on, value in values:
            indicator_report(
                actor=actor, indicator=indicator, unit=province, period_end=P06_END,
                measured_on=d(measured_on), value=Decimal(value), source=source,
            )  # fmt: skip
    rate = indicator_create(
        actor=actor, program=program, code="DA06-TT", unit_of_measure="%", aggregation="average",
        name="Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
    )  # fmt: skip
    for slug, value in P06_RATE.items():
        unit = b.units[slug]
        indicator_set_target(
            actor=actor, indicator=rate, unit=unit, period_end=P06_END, target=Decimal(50)
        )
        indicator_report(
            actor=actor, indicator=rate, unit=unit, period_end=P06_END, measured_on=d("2024-12-20"),
            value=Decimal(value), source="Hệ thống thông tin giải quyết TTHC tỉnh",
        )  # fmt: skip


# The draft of the ministry's 46 tasks went to the 35 units for comments before the plan was
# issued: most answered on time, five late, two not at all.
DRAFT_SENT, DRAFT_DUE = d("2023-12-11"), d("2023-12-22")
LATE_ANSWERS = (3, 9, 17, 24, 30)  # indexes in TASK_UNITS
NO_ANSWER = (12, 27)
COMMENTS = (
    "Đề nghị điều chỉnh thời hạn hoàn thành sang Quý III/2024 cho phù hợp kế hoạch huấn luyện.",
    "Đề nghị bổ sung chỉ tiêu số hóa hồ sơ lưu trữ giai đoạn trước năm 2010.",
)


def build_task_consultation(b: Builder) -> None:
    """One consultation round on the draft of the 46 tasks, with the drafter's synthesis."""
    drafter = b.users["btl86.vanphong"]
    round_ = consultation_send(
        actor=drafter, program=Program.objects.get(code=CODE), sender_unit=b.units["bqp.btl86"],
        title="Dự thảo danh mục 46 nhiệm vụ chuyển đổi số năm 2024 của các cơ quan, đơn vị",
        questions="Đề nghị các cơ quan, đơn vị góp ý về nội dung, sản phẩm và thời hạn của nhiệm vụ được giao.",
        units=[b.units[slug] for slug in TASK_UNITS], sent_on=DRAFT_SENT, deadline=DRAFT_DUE,
    )  # fmt: skip
    recipients = {r.unit_id: r for r in round_.recipients.all()}
    for i, slug in enumerate(TASK_UNITS):
        recipient = recipients[b.units[slug].pk]
        if i in NO_ANSWER:
            consultation_mark_not_answered(actor=drafter, recipient=recipient, on=d("2023-12-27"))
            continue
        day = (
            add_working_days(DRAFT_DUE, 3 + i % 4)
            if i in LATE_ANSWERS
            else add_working_days(DRAFT_SENT, 2 + i % 7)
        )
        if i % 6 == 1:
            consultation_answer(actor=b.heads[slug], recipient=recipient, on=day,
                                answer=Answer.AGREE_WITH_COMMENTS, comments=COMMENTS[i % 2])  # fmt: skip
            accepted = i % 4 == 1
            consultation_respond(
                actor=drafter, recipient=recipient,
                response=Response.ACCEPTED if accepted else Response.EXPLAINED,
                text="Đã tiếp thu, chỉnh sửa trong dự thảo." if accepted
                else "Giữ nguyên: thời hạn gắn với Kế hoạch của Bộ, không thể lùi.",
            )  # fmt: skip
        else:
            consultation_answer(
                actor=b.heads[slug], recipient=recipient, on=day, answer=Answer.AGREE
            )
