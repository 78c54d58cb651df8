"""The demo's organisation: a (fictional) province and the Ministry of National Defence.

Unit slugs double as unit codes and as the suffix of usernames: the head of ``sotttt`` is
``lanhdao.sotttt``, its officer ``canbo.sotttt``.
"""

from __future__ import annotations

from tiendo.accounts.models import Role
from tiendo.core.models import Classification
from tiendo.orgs.models import UnitKind as K

from .builder import Builder, UnitSpec, d

# Named demo people: one per role, plus the heads who appear in the figures' stories.
NAMED_PEOPLE = {
    "chutich": (
        "Nguyễn Hoàng Minh",
        "Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo chuyển đổi số tỉnh",
    ),
    "vanphong": (
        "Trần Thị Thu Hà",
        "Phó Giám đốc Sở Thông tin và Truyền thông, Tổ trưởng Tổ giúp việc Ban Chỉ đạo",
    ),
    "lanhdao.sotttt": ("Lê Văn Hùng", "Giám đốc Sở Thông tin và Truyền thông"),
    "canbo.sotttt": (
        "Phạm Thị Lan",
        "Chuyên viên Phòng Chuyển đổi số, Sở Thông tin và Truyền thông",
    ),
    "thamdinh": ("Vũ Đức Thắng", "Trưởng phòng Thẩm định dự án, Bộ Tư lệnh 86"),
    "xem": ("Đỗ Thị Mai", "Chuyên viên Ban Kinh tế - Ngân sách, Hội đồng nhân dân tỉnh"),
    "quantri": ("Hồ Quang Huy", "Quản trị hệ thống, Trung tâm Công nghệ thông tin và Truyền thông"),
    "thuongtruc.da06": (
        "Bùi Văn Toàn",
        "Phó Giám đốc Công an tỉnh, Thường trực Tổ công tác Đề án 06",
    ),
    "bqp.lanhdao": (
        "Hà Quang Vinh",
        "Thứ trưởng, Phó Trưởng Ban Thường trực Ban Chỉ đạo chuyển đổi số Bộ Quốc phòng",
    ),
    "btl86.vanphong": ("Ngô Minh Khánh", "Phó Tư lệnh Bộ Tư lệnh 86 (cơ quan thường trực)"),
    "lanhdao.tct.da06": (
        "Phan Thanh Sơn",
        "Phó Chủ tịch UBND tỉnh, Tổ trưởng Tổ công tác Đề án 06",
    ),
}

PROVINCE = (
    UnitSpec("tinh", "Ủy ban nhân dân tỉnh Thái An", "UBND tỉnh", K.PROVINCE, None, "Chủ tịch", "chutich"),
    UnitSpec("bcd.cds", "Ban Chỉ đạo chuyển đổi số tỉnh Thái An", "BCĐ CĐS tỉnh", K.COMMITTEE, "tinh", "Trưởng Ban", "chutich"),
    UnitSpec("tct.da06", "Tổ công tác triển khai Đề án 06 tỉnh Thái An", "Tổ công tác Đề án 06", K.COMMITTEE, "tinh", "Tổ trưởng"),
    UnitSpec("vpubnd", "Văn phòng UBND tỉnh", "VP UBND tỉnh", K.DEPARTMENT, "tinh", "Chánh Văn phòng"),
    UnitSpec("ttpvhcc", "Trung tâm Phục vụ hành chính công tỉnh", "TT PVHCC", K.SUBUNIT, "vpubnd", "Giám đốc"),
    UnitSpec("sotttt", "Sở Thông tin và Truyền thông", "Sở TT&TT", K.DEPARTMENT, "tinh", "Giám đốc Sở"),
    UnitSpec("ttcntt", "Trung tâm Công nghệ thông tin và Truyền thông", "TT CNTT-TT", K.SUBUNIT, "sotttt", "Giám đốc"),
    UnitSpec("sonv", "Sở Nội vụ", "Sở NV", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sotc", "Sở Tài chính", "Sở TC", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sokhdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sotp", "Sở Tư pháp", "Sở TP", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("soyt", "Sở Y tế", "Sở YT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sogddt", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("soldtbxh", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sotnmt", "Sở Tài nguyên và Môi trường", "Sở TN&MT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sonnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("soct", "Sở Công Thương", "Sở CT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sogtvt", "Sở Giao thông vận tải", "Sở GTVT", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("soxd", "Sở Xây dựng", "Sở XD", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sovhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("sokhcn", "Sở Khoa học và Công nghệ", "Sở KH&CN", K.DEPARTMENT, "tinh", "Phó Giám đốc Sở"),
    UnitSpec("cat", "Công an tỉnh", "CA tỉnh", K.AGENCY, "tinh", "Phó Giám đốc Công an tỉnh"),
    UnitSpec("pc06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội (PC06)", "PC06", K.SUBUNIT, "cat", "Trưởng phòng"),
    UnitSpec("bhxh", "Bảo hiểm xã hội tỉnh", "BHXH tỉnh", K.AGENCY, "tinh", "Phó Giám đốc"),
    UnitSpec("thue", "Cục Thuế tỉnh", "Cục Thuế", K.AGENCY, "tinh", "Phó Cục trưởng"),
    UnitSpec("nhnn", "Ngân hàng Nhà nước chi nhánh tỉnh Thái An", "NHNN tỉnh", K.AGENCY, "tinh", "Phó Giám đốc"),
    UnitSpec("buudien", "Bưu điện tỉnh Thái An", "Bưu điện tỉnh", K.ENTERPRISE, "tinh", "Phó Giám đốc"),
    UnitSpec("vnpt", "VNPT Thái An", "VNPT", K.ENTERPRISE, "tinh", "Phó Giám đốc"),
    UnitSpec("viettel", "Viettel Thái An", "Viettel", K.ENTERPRISE, "tinh", "Phó Giám đốc"),
    UnitSpec("tp", "UBND thành phố Thái An", "TP Thái An", K.DISTRICT, "tinh", "Phó Chủ tịch UBND thành phố"),
    UnitSpec("dongson", "UBND huyện Đông Sơn", "Đông Sơn", K.DISTRICT, "tinh", "Phó Chủ tịch UBND huyện"),
    UnitSpec("tanlap", "UBND huyện Tân Lập", "Tân Lập", K.DISTRICT, "tinh", "Phó Chủ tịch UBND huyện"),
    UnitSpec("phuhoa", "UBND huyện Phú Hòa", "Phú Hòa", K.DISTRICT, "tinh", "Phó Chủ tịch UBND huyện"),
    UnitSpec("yenbinh", "UBND huyện Yên Bình", "Yên Bình", K.DISTRICT, "tinh", "Phó Chủ tịch UBND huyện"),
    UnitSpec("longhai", "UBND thị xã Long Hải", "Long Hải", K.DISTRICT, "tinh", "Phó Chủ tịch UBND thị xã"),
    UnitSpec("vinhloc", "UBND huyện Vĩnh Lộc", "Vĩnh Lộc", K.DISTRICT, "tinh", "Phó Chủ tịch UBND huyện"),
    UnitSpec("tp.tranphu", "UBND phường Trần Phú", "P. Trần Phú", K.COMMUNE, "tp", "Chủ tịch UBND phường"),
    UnitSpec("tp.quangtrung", "UBND phường Quang Trung", "P. Quang Trung", K.COMMUNE, "tp", "Chủ tịch UBND phường"),
    UnitSpec("dongson.dongha", "UBND xã Đông Hà", "X. Đông Hà", K.COMMUNE, "dongson", "Chủ tịch UBND xã"),
    UnitSpec("tanlap.tanphu", "UBND xã Tân Phú", "X. Tân Phú", K.COMMUNE, "tanlap", "Chủ tịch UBND xã"),
    UnitSpec("phuhoa.hoathanh", "UBND xã Hòa Thành", "X. Hòa Thành", K.COMMUNE, "phuhoa", "Chủ tịch UBND xã"),
    UnitSpec("yenbinh.yenhung", "UBND xã Yên Hưng", "X. Yên Hưng", K.COMMUNE, "yenbinh", "Chủ tịch UBND xã"),
    UnitSpec("longhai.phuochai", "UBND phường Phước Hải", "P. Phước Hải", K.COMMUNE, "longhai", "Chủ tịch UBND phường"),
    UnitSpec("vinhloc.locan", "UBND thị trấn Lộc An", "TT. Lộc An", K.COMMUNE, "vinhloc", "Chủ tịch UBND thị trấn"),
    UnitSpec("vinhloc.vinhthanh", "UBND xã Vĩnh Thành", "X. Vĩnh Thành", K.COMMUNE, "vinhloc", "Chủ tịch UBND xã"),
)  # fmt: skip

MINISTRY = (
    UnitSpec("bqp", "Bộ Quốc phòng", "BQP", K.MINISTRY, None, "Thứ trưởng", "bqp.lanhdao"),
    UnitSpec("bqp.bcd", "Ban Chỉ đạo chuyển đổi số Bộ Quốc phòng", "BCĐ CĐS BQP", K.COMMITTEE, "bqp", "Phó Trưởng Ban Thường trực", "bqp.lanhdao"),
    UnitSpec("bqp.btl86", "Bộ Tư lệnh 86", "BTL 86", K.AGENCY, "bqp", "Phó Tư lệnh", "btl86.vanphong"),
    UnitSpec("bqp.vp", "Văn phòng Bộ Quốc phòng", "VP BQP", K.DEPARTMENT, "bqp", "Phó Chánh Văn phòng"),
    UnitSpec("bqp.bttm", "Bộ Tổng Tham mưu", "BTTM", K.AGENCY, "bqp", "Phó Tổng Tham mưu trưởng"),
    UnitSpec("bqp.cql", "Cục Quân lực", "Cục Quân lực", K.SUBUNIT, "bqp.bttm", "Phó Cục trưởng"),
    UnitSpec("bqp.cdqtv", "Cục Dân quân tự vệ", "Cục DQTV", K.SUBUNIT, "bqp.bttm", "Phó Cục trưởng"),
    UnitSpec("bqp.cchcn", "Cục Cứu hộ - Cứu nạn", "Cục CH-CN", K.SUBUNIT, "bqp.bttm", "Phó Cục trưởng"),
    UnitSpec("bqp.tcct", "Tổng cục Chính trị", "TCCT", K.AGENCY, "bqp", "Phó Chủ nhiệm"),
    UnitSpec("bqp.ccb", "Cục Cán bộ", "Cục Cán bộ", K.SUBUNIT, "bqp.tcct", "Phó Cục trưởng"),
    UnitSpec("bqp.ccs", "Cục Chính sách", "Cục Chính sách", K.SUBUNIT, "bqp.tcct", "Phó Cục trưởng"),
    UnitSpec("bqp.cth", "Cục Tuyên huấn", "Cục Tuyên huấn", K.SUBUNIT, "bqp.tcct", "Phó Cục trưởng"),
    UnitSpec("bqp.tchc", "Tổng cục Hậu cần", "TCHC", K.AGENCY, "bqp", "Phó Chủ nhiệm"),
    UnitSpec("bqp.cqy", "Cục Quân y", "Cục Quân y", K.SUBUNIT, "bqp.tchc", "Phó Cục trưởng"),
    UnitSpec("bqp.tckt", "Tổng cục Kỹ thuật", "TCKT", K.AGENCY, "bqp", "Phó Chủ nhiệm"),
    UnitSpec("bqp.tccnqp", "Tổng cục Công nghiệp quốc phòng", "TCCNQP", K.AGENCY, "bqp", "Phó Chủ nhiệm"),
    UnitSpec("bqp.ckhdt", "Cục Kế hoạch và Đầu tư", "Cục KH&ĐT", K.DEPARTMENT, "bqp", "Phó Cục trưởng"),
    UnitSpec("bqp.ctc", "Cục Tài chính", "Cục Tài chính", K.DEPARTMENT, "bqp", "Phó Cục trưởng"),
    UnitSpec("bqp.ckhqs", "Cục Khoa học quân sự", "Cục KHQS", K.DEPARTMENT, "bqp", "Phó Cục trưởng"),
    UnitSpec("bqp.tt", "Thanh tra Bộ Quốc phòng", "Thanh tra BQP", K.DEPARTMENT, "bqp", "Phó Chánh Thanh tra"),
    UnitSpec("bqp.qk1", "Quân khu 1", "QK1", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk2", "Quân khu 2", "QK2", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk3", "Quân khu 3", "QK3", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk4", "Quân khu 4", "QK4", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk5", "Quân khu 5", "QK5", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk7", "Quân khu 7", "QK7", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qk9", "Quân khu 9", "QK9", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.btlthd", "Bộ Tư lệnh Thủ đô Hà Nội", "BTL Thủ đô", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.pkkq", "Quân chủng Phòng không - Không quân", "QC PK-KQ", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.hq", "Quân chủng Hải quân", "QC Hải quân", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.bdbp", "Bộ đội Biên phòng", "BĐBP", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.csb", "Cảnh sát biển Việt Nam", "CSB", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.ttll", "Binh chủng Thông tin liên lạc", "BC TTLL", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.cb", "Binh chủng Công binh", "BC Công binh", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qd12", "Quân đoàn 12", "QĐ12", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.qd34", "Quân đoàn 34", "QĐ34", K.AGENCY, "bqp", "Phó Tư lệnh"),
    UnitSpec("bqp.hvqp", "Học viện Quốc phòng", "HVQP", K.AGENCY, "bqp", "Phó Giám đốc"),
    UnitSpec("bqp.hvktqs", "Học viện Kỹ thuật Quân sự", "HVKTQS", K.AGENCY, "bqp", "Phó Giám đốc"),
    UnitSpec("bqp.hvqy", "Học viện Quân y", "HVQY", K.AGENCY, "bqp", "Phó Giám đốc"),
    UnitSpec("bqp.vkhcn", "Viện Khoa học và Công nghệ quân sự", "Viện KH&CNQS", K.AGENCY, "bqp", "Phó Viện trưởng"),
    UnitSpec("bqp.bv108", "Bệnh viện Trung ương Quân đội 108", "BV 108", K.AGENCY, "bqp", "Phó Giám đốc"),
    UnitSpec("bqp.bqdnd", "Báo Quân đội nhân dân", "Báo QĐND", K.AGENCY, "bqp", "Phó Tổng Biên tập"),
    UnitSpec("bqp.viettel", "Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel)", "Viettel", K.ENTERPRISE, "bqp", "Phó Tổng Giám đốc"),
)  # fmt: skip


def build_org(b: Builder) -> None:
    """Both trees, then the demo accounts of the roles that are not a unit's head."""
    b.named.update(NAMED_PEOPLE)
    b.add_units(PROVINCE, active_from=d("2020-01-01"))
    b.add_units(MINISTRY, active_from=d("2020-01-01"))
    # Roles beyond the heads (who got theirs in add_units).
    b.grant(b.person("vanphong"), "sotttt", Role.STANDING_OFFICE)
    b.officer("sotttt")  # canbo.sotttt: a unit officer who sees only the department's subtree
    b.grant(b.person("thuongtruc.da06"), "cat", Role.STANDING_OFFICE)
    b.grant(b.person("btl86.vanphong"), "bqp.btl86", Role.STANDING_OFFICE)
    b.grant(b.person("thamdinh"), "bqp.btl86", Role.REVIEWER)
    b.grant(b.person("xem"), "tinh", Role.VIEWER)
    admin = b.person(
        "quantri", is_staff=True, is_superuser=True, clearance=Classification.TOP_SECRET
    )
    b.grant(admin, "tinh", Role.ADMINISTRATOR)
