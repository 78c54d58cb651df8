"""A province with a steering committee, its departments and districts, and a plan to import into."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tiendo.accounts.models import Role, User
from tiendo.orgs.models import Unit, UnitKind
from tiendo.orgs.services import unit_create
from tiendo.programs.models import Program
from tiendo.programs.tests.factories import make_program, make_user


@dataclass
class Province:
    province: Unit
    committee: Unit
    ict: Unit  # Sở Thông tin và Truyền thông, the standing office
    home: Unit  # Sở Nội vụ
    planning: Unit  # Sở Kế hoạch và Đầu tư
    labour: Unit  # Sở Lao động - Thương binh và Xã hội
    office: Unit  # Văn phòng UBND tỉnh (an agency)
    districts: list[Unit]
    program: Program
    office_user: User  # standing office: may import
    officer: User  # an officer of Sở Nội vụ: sees the program's tasks, may not import
    outsider: User  # another province: sees nothing


def _unit(code: str, name: str, kind: str, parent: Unit | None, short: str = "") -> Unit:
    return unit_create(code=code, name=name, kind=kind, parent=parent, short_name=short)


@pytest.fixture
def hp(db) -> Province:
    province = _unit("HP", "Tỉnh Hải Phòng", UnitKind.PROVINCE, None)
    committee = _unit("HP-BCD", "Ban Chỉ đạo chuyển đổi số tỉnh", UnitKind.COMMITTEE, province)
    ict = _unit(
        "HP-STTTT", "Sở Thông tin và Truyền thông", UnitKind.DEPARTMENT, province, "Sở TTTT"
    )
    home = _unit("HP-SNV", "Sở Nội vụ", UnitKind.DEPARTMENT, province)
    planning = _unit("HP-SKHDT", "Sở Kế hoạch và Đầu tư", UnitKind.DEPARTMENT, province)
    labour = _unit("HP-SLD", "Sở Lao động - Thương binh và Xã hội", UnitKind.DEPARTMENT, province)
    office = _unit("HP-VP", "Văn phòng UBND tỉnh", UnitKind.AGENCY, province)
    # Two centres with the same name: "Trung tâm Công nghệ thông tin" is ambiguous.
    _unit("HP-STTTT-CNTT", "Trung tâm Công nghệ thông tin", UnitKind.SUBUNIT, ict)
    _unit("HP-SKHDT-CNTT", "Trung tâm Công nghệ thông tin", UnitKind.SUBUNIT, planning)
    districts = [
        _unit("HP-CH", "UBND huyện Cát Hải", UnitKind.DISTRICT, province),
        _unit("HP-TN", "UBND huyện Thủy Nguyên", UnitKind.DISTRICT, province),
        _unit("HP-DS", "UBND quận Đồ Sơn", UnitKind.DISTRICT, province),
    ]
    office_user = make_user("van.phong", unit=ict, role=Role.STANDING_OFFICE)
    officer = make_user("can.bo", unit=home, role=Role.UNIT_OFFICER)
    other = _unit("QN", "Tỉnh Quảng Ninh", UnitKind.PROVINCE, None)
    outsider = make_user("ngoai.tinh", unit=other, role=Role.STANDING_OFFICE)
    program = make_program(
        owner=committee, standing_office=ict, code="khcds-2024", name="Kế hoạch CĐS 2024"
    )
    return Province(
        province,
        committee,
        ict,
        home,
        planning,
        labour,
        office,
        districts,
        program,
        office_user,
        officer,
        outsider,
    )


# A realistic annex: groups merged across, numbers 1, 2, 2.1, mixed completion times, an
# unknown agency, plural collectives, a blank row and a product with a quantity.
REALISTIC_ROWS = [
    ("I. Phát triển chính quyền số",),
    (
        "1",
        "Xây dựng Kế hoạch chuyển đổi số năm 2024",
        "Sở Thông tin và Truyền thông",
        "Các sở, ban, ngành",
        "Quý I/2024",
        "Kế hoạch được ban hành",
    ),
    (
        "2",
        "Cung cấp dịch vụ công trực tuyến toàn trình",
        "Văn phòng UBND tỉnh",
        "Sở TT&TT; UBND các huyện, thị xã, thành phố",
        "30/6/2024",
        "53 dịch vụ công trực tuyến toàn trình",
    ),
    (
        "2.1",
        "Rà soát quy trình nội bộ",
        "Sở Nội vụ",
        "Các cơ quan, đơn vị liên quan",
        "Tháng 6/2024",
        "Báo cáo rà soát",
    ),
    (None, None, None, None, None, None),
    ("II. Phát triển kinh tế số",),
    (
        "3",
        "Đào tạo kỹ năng số cho người lao động",
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Kế hoạch và Đầu tư",
        "Năm 2024",
        "Đào tạo 2.000 người",
    ),
    (
        "4",
        "Thúc đẩy thanh toán không dùng tiền mặt",
        "Ngân hàng Nhà nước chi nhánh tỉnh",
        "Sở Nội vụ",
        "2024-2025",
        "80% giao dịch",
    ),
    (
        "5",
        "Duy trì vận hành trung tâm dữ liệu",
        "Trung tâm Công nghệ thông tin",
        "",
        "Thường xuyên",
        "",
    ),
]
