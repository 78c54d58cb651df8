"""Words the demo data is made of: people's names, positions, difficulties and proposals.

The demo's content is Vietnamese data, as officials would enter it; it is not interface text,
so it is not translated. All people are fictional.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

from tiendo.orgs.models import UnitKind

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lương",
    "Mai",
    "Tạ",
)
MALE = (
    ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Mạnh", "Tiến"),
    (
        "An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hòa", "Hùng", "Khánh", "Long",
        "Nam", "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Thành", "Toàn",
    ),
)  # fmt: skip
FEMALE = (
    ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hoài", "Phương", "Thùy", "Kim", "Bích"),
    (
        "Anh", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phượng",
        "Tâm", "Thảo", "Trang", "Vân", "Yến", "Dung", "Hằng", "Huyền", "Loan", "Nhung",
    ),
)  # fmt: skip


def name_pool(rng: random.Random, taken: Iterable[str] = ()) -> Iterator[str]:
    """Distinct, plausible Vietnamese full names, in a fixed order for a fixed ``rng``."""
    seen: set[str] = set(taken)
    while True:
        middles, givens = MALE if rng.random() < 0.55 else FEMALE
        name = f"{rng.choice(SURNAMES)} {rng.choice(middles)} {rng.choice(givens)}"
        if name not in seen:
            seen.add(name)
            yield name


OFFICER_POSITIONS: dict[str, str] = {
    UnitKind.DEPARTMENT: "Chuyên viên",
    UnitKind.AGENCY: "Chuyên viên",
    UnitKind.SUBUNIT: "Chuyên viên",
    UnitKind.DISTRICT: "Chuyên viên Phòng Văn hóa và Thông tin",
    UnitKind.COMMUNE: "Công chức Văn phòng - Thống kê",
    UnitKind.ENTERPRISE: "Chuyên viên Phòng Khách hàng tổ chức - doanh nghiệp",
    UnitKind.MINISTRY: "Trợ lý",
    UnitKind.COMMITTEE: "Chuyên viên Tổ giúp việc",
}

DIFFICULTIES = (
    "Kinh phí năm 2024 giao chậm, chưa đủ để thuê dịch vụ công nghệ thông tin.",
    "Thiếu nhân lực chuyên trách công nghệ thông tin; cán bộ kiêm nhiệm nhiều việc.",
    "Hạ tầng mạng tại một số xã vùng sâu chưa ổn định, đường truyền hay gián đoạn.",
    "Dữ liệu giữa các hệ thống chưa đồng bộ, còn sai lệch, phải rà soát thủ công.",
    "Phần mềm của doanh nghiệp cung cấp chưa kết nối được với nền tảng dùng chung của tỉnh.",
    "Người dân cao tuổi còn ngại sử dụng dịch vụ công trực tuyến, chưa có tài khoản định danh.",
    "Thủ tục đầu tư, thuê dịch vụ công nghệ thông tin kéo dài, nhiều bước thẩm định.",
)

PROPOSALS = (
    "Đề nghị Sở Tài chính tham mưu bố trí bổ sung kinh phí trong quý tới.",
    "Đề nghị Sở Thông tin và Truyền thông hỗ trợ kỹ thuật kết nối, tích hợp dữ liệu.",
    "Đề nghị các doanh nghiệp viễn thông ưu tiên nâng cấp hạ tầng tại các xã còn vùng lõm sóng.",
    "Kiến nghị Ban Chỉ đạo cho phép điều chỉnh lộ trình, gia hạn thời gian hoàn thành.",
    "Đề nghị tổ chức tập huấn bổ sung cho cán bộ cấp xã.",
    "Kiến nghị hướng dẫn thống nhất định mức chi cho số hóa hồ sơ, tài liệu.",
)
