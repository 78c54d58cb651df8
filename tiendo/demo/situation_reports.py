"""Periodic reports of the province's DX plan: two past quarters (Q3 and Q4 2025).

Ten departments must report each quarter, within 5 working days after the quarter ends. Some
report on time, some late, a few not at all; one report is returned for corrections and sent
again. Each quarter is then consolidated by the standing office (Sở TT&TT), so the demo shows
the reporting discipline, the review workflow and a consolidated report with its figures as of
the quarter end. Everything goes through ``tiendo.reporting.services``; only the submission
and review times are set afterwards, because the demo replays dates in the past.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from tiendo.programs.models import Program
from tiendo.reporting.models import DueRule, Frequency, UnitReport
from tiendo.reporting.services import (
    period_open,
    report_accept,
    report_consolidate,
    report_return,
    report_submit,
    report_update,
    schedule_create,
)

from .builder import Builder
from .situation_province import CODE

OBLIGED = (
    "sotttt",
    "sonv",
    "sokhdt",
    "sotc",
    "soyt",
    "sogddt",
    "soct",
    "sotnmt",
    "soldtbxh",
    "vpubnd",
)
# Per quarter: unit -> days after the due date it sent its report (negative: early; None: never).
SENT = {
    dt.date(2025, 7, 1): {
        "sotttt": -3,
        "sonv": -1,
        "sokhdt": 0,
        "sotc": 4,
        "soyt": -2,
        "sogddt": 9,
        "soct": -1,
        "sotnmt": None,
        "soldtbxh": -4,
        "vpubnd": 1,
    },
    dt.date(2025, 10, 1): {
        "sotttt": -2,
        "sonv": 0,
        "sokhdt": -1,
        "sotc": -3,
        "soyt": 6,
        "sogddt": None,
        "soct": -2,
        "sotnmt": None,
        "soldtbxh": -1,
        "vpubnd": -5,
    },
}
RETURNED = {"sokhdt"}  # sent back once for corrections, then sent again
DIFFICULTIES = {
    "sotttt": (
        "infrastructure",
        "Hạ tầng mạng tại một số xã vùng sâu chưa đáp ứng yêu cầu kết nối.",
    ),
    "sonv": ("human_resources", "Thiếu cán bộ chuyên trách công nghệ thông tin ở cấp xã."),
    "sokhdt": (
        "funding",
        "Nguồn vốn đầu tư công cho các dự án công nghệ thông tin giải ngân chậm.",
    ),
    "sotc": ("funding", "Kinh phí thuê dịch vụ công nghệ thông tin chưa được bố trí kịp thời."),
    "soyt": ("data", "Dữ liệu khám chữa bệnh chưa được chuẩn hóa, khó kết nối liên thông."),
    "sogddt": ("data", "Cơ sở dữ liệu ngành giáo dục chưa đồng bộ với hệ thống của Bộ."),
    "soct": ("institutions", "Chưa có hướng dẫn về thương mại điện tử cho hộ kinh doanh nhỏ."),
    "soldtbxh": ("security", "Một số hệ thống chưa được phê duyệt cấp độ an toàn thông tin."),
    "vpubnd": ("institutions", "Quy trình nội bộ của một số thủ tục chưa được số hóa đầy đủ."),
}
PROPOSALS = {
    "sotttt": (
        "infrastructure",
        "Đề nghị ưu tiên vốn phủ sóng băng rộng cho các thôn chưa có sóng.",
    ),
    "sonv": (
        "human_resources",
        "Đề nghị bố trí mỗi xã ít nhất một công chức phụ trách chuyển đổi số.",
    ),
    "sokhdt": (
        "funding",
        "Đề nghị điều chuyển vốn từ các dự án chậm giải ngân sang dự án sẵn sàng.",
    ),
    "soyt": ("data", "Đề nghị Sở TT&TT hỗ trợ chuẩn hóa dữ liệu y tế trên nền tảng dùng chung."),
    "soct": (
        "institutions",
        "Đề nghị UBND tỉnh ban hành chương trình hỗ trợ doanh nghiệp lên sàn.",
    ),
    "vpubnd": (
        "institutions",
        "Đề nghị tiếp tục rà soát, tái cấu trúc quy trình thủ tục hành chính.",
    ),
}


def _at(day: dt.date, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_situation_reports(b: Builder) -> list[int]:
    """The schedule, two quarters of reports and their consolidated reports; returns their ids."""
    program = Program.objects.get(code=CODE)
    office = b.users["vanphong"]
    schedule = schedule_create(
        actor=office,
        program=program,
        name="Báo cáo định kỳ hằng quý",
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.WORKING_DAYS_AFTER_END,
        due_value=5,
        units=[b.units[s] for s in OBLIGED],
    )
    consolidated = []
    for day, sent in SENT.items():
        period = period_open(actor=office, schedule=schedule, day=day)
        with translation.override("vi"):  # the units write in Vietnamese whatever the language
            quarter = period.label.lower()
        for slug in OBLIGED:
            late_by = sent[slug]
            if late_by is None:
                continue  # this unit never sent its report
            officer = b.officer(slug)
            report = UnitReport.objects.get(period=period, unit=b.units[slug], version=1)
            theme, difficulty = DIFFICULTIES.get(slug, ("", ""))
            p_theme, proposal = PROPOSALS.get(slug, ("", ""))
            report = report_update(
                actor=officer,
                report=report,
                edit_version=report.edit_version,
                results=f"{b.units[slug].name} đã triển khai các nhiệm vụ được giao trong "
                f"{quarter} theo kế hoạch; chi tiết tại bảng số liệu kèm theo.",
                difficulties=difficulty,
                difficulties_theme=theme,
                proposals=proposal,
                proposals_theme=p_theme,
            )
            report = report_submit(actor=officer, report=report)
            sent_on = period.due_on + dt.timedelta(days=late_by)
            UnitReport.objects.filter(pk=report.pk).update(submitted_at=_at(sent_on))
            if slug in RETURNED:
                draft = report_return(
                    actor=office,
                    report=report,
                    comment="Đề nghị bổ sung số liệu giải ngân vốn đầu tư công theo từng dự án.",
                )
                UnitReport.objects.filter(pk=report.pk).update(reviewed_at=_at(sent_on, 17))
                draft = report_update(
                    actor=officer,
                    report=draft,
                    edit_version=draft.edit_version,
                    results=draft.results + " Đã bổ sung số liệu giải ngân theo từng dự án.",
                )
                report = report_submit(actor=officer, report=draft)
                UnitReport.objects.filter(pk=report.pk).update(
                    submitted_at=_at(sent_on + dt.timedelta(days=2))
                )
            report_accept(actor=office, report=report)
        number = f"{180 + len(consolidated) * 95}/BC-STTTT"
        consolidated.append(report_consolidate(actor=office, period=period, number=number).pk)
    return consolidated
