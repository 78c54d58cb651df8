"""Situation 1: the province's DX plan 2022-2025 under Decision 1982/QĐ-UBND of 29/7/2022.

Figures (tasks / deployed, "deployed" = started or completed), by task group:
I. Nhiệm vụ chung 11/11 · II. Phát triển chính quyền số 11/21 · III. Phát triển kinh tế số 5/9 ·
IV. Phát triển xã hội số 1/6. Tasks that are not deployed either never reported or reported 0 %.
"""

from __future__ import annotations

from functools import partial

from tiendo.programs.models import Program, ProgramKind
from tiendo.programs.services import group_create, program_create

from .builder import Builder, Extension, Report, d, done, started, waiting

CODE = "thaian-cds-2022-2025"
DISTRICTS = ("tp", "dongson", "tanlap", "phuhoa", "yenbinh", "longhai", "vinhloc")
START = d("2022-08-15")


def build_province_plan(b: Builder) -> Program:
    b.actor = b.users["vanphong"]
    program = program_create(
        actor=b.actor,
        code=CODE,
        name=("Kế hoạch chuyển đổi số tỉnh Thái An giai đoạn 2022-2025, định hướng đến năm 2030"),
        kind=ProgramKind.PLAN,
        description=(
            "Kế hoạch ban hành kèm theo Quyết định số 1982/QĐ-UBND ngày 29/7/2022 của UBND tỉnh; "
            "gồm 4 nhóm nhiệm vụ, 47 nhiệm vụ giao cho các sở, ban, ngành và UBND cấp huyện."
        ),
        owner_unit=b.units["bcd.cds"],
        standing_office=b.units["sotttt"],
        decision_number="1982/QĐ-UBND",
        decision_date=d("2022-07-29"),
        issuer="Ủy ban nhân dân tỉnh Thái An",
        start_year=2022,
        end_year=2025,
        vision_year=2030,
    )
    groups = [
        group_create(actor=b.actor, program=program, number=number, name=name, position=i)
        for i, (number, name) in enumerate(
            [
                ("I", "Nhiệm vụ chung"),
                ("II", "Phát triển chính quyền số"),
                ("III", "Phát triển kinh tế số"),
                ("IV", "Phát triển xã hội số"),
            ]
        )
    ]
    _general(partial(b.task, program=program, group=groups[0], start=START))
    _government(partial(b.task, program=program, group=groups[1], start=START))
    _economy(partial(b.task, program=program, group=groups[2], start=START))
    _society(partial(b.task, program=program, group=groups[3], start=START))
    return program


def _general(t: partial) -> None:
    """I. 11 tasks, all deployed."""
    t(
        number="1",
        title="Tuyên truyền, nâng cao nhận thức về chuyển đổi số trên các phương tiện thông tin đại chúng",
        lead="sotttt",
        coord=("sovhttdl", *DISTRICTS),
        deadline="Thường xuyên",
        product="Chuyên mục chuyển đổi số trên Báo Thái An, Đài Phát thanh và Truyền hình tỉnh",
        qty=48,
        uom="chuyên mục",
        history=(
            Report(d("2022-09-30"), 15),
            Report(d("2023-06-30"), 40),
            Report(d("2023-12-31"), 55),
            Report(d("2024-06-30"), 65),
            Report(d("2024-11-30"), 75),
        ),
    )
    t(
        number="2",
        title="Kiện toàn Ban Chỉ đạo chuyển đổi số tỉnh và Tổ giúp việc Ban Chỉ đạo",
        lead="sonv",
        coord=("sotttt",),
        deadline="Tháng 9/2022",
        product="Quyết định kiện toàn Ban Chỉ đạo và Tổ giúp việc",
        qty=1,
        uom="quyết định",
        history=(
            Report(d("2022-08-25"), 50, "Đã trình dự thảo quyết định kiện toàn."),
            Report(d("2022-09-15"), 100, "UBND tỉnh đã ban hành quyết định kiện toàn Ban Chỉ đạo."),
        ),
    )
    t(
        number="3",
        title="Ban hành Quy chế hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh",
        lead="sotttt",
        deadline="Quý IV/2022",
        product="Quy chế hoạt động của Ban Chỉ đạo",
        qty=1,
        uom="quy chế",
        history=done("2022-10-10", "2022-11-28"),
    )
    t(
        number="4",
        title="Thành lập Tổ công nghệ số cộng đồng tại 100% thôn, tổ dân phố",
        lead="sotttt",
        coord=DISTRICTS,
        deadline="Quý II/2023",
        product="Tổ công nghệ số cộng đồng được thành lập và hoạt động",
        qty=1150,
        uom="tổ",
        history=done(
            "2022-12-15",
            "2023-08-31",
            extra=(
                Report(
                    d("2023-06-30"),
                    88,
                    difficulties=(
                        "Một số thôn vùng cao chưa có người đủ kỹ năng để làm tổ trưởng."
                    ),
                    proposals="Đề nghị các doanh nghiệp viễn thông cử nhân viên hỗ trợ.",
                ),
            ),
        ),
    )
    t(
        number="5",
        title="Xây dựng Kiến trúc Chính quyền điện tử tỉnh Thái An phiên bản 3.0",
        lead="sotttt",
        coord=("ttcntt",),
        deadline="Năm 2023",
        product="Kiến trúc Chính quyền điện tử phiên bản 3.0 được phê duyệt",
        qty=1,
        uom="bộ kiến trúc",
        history=done("2023-02-20", "2023-10-16"),
    )
    t(
        number="6",
        title="Bố trí kinh phí thực hiện chuyển đổi số hằng năm tối thiểu 1% tổng chi ngân sách",
        lead="sotc",
        coord=("sokhdt", "sotttt"),
        deadline="Thường xuyên",
        product="Tỷ lệ chi ngân sách dành cho chuyển đổi số",
        qty=1,
        uom="% tổng chi ngân sách",
        history=(
            Report(d("2023-01-15"), 60, "Năm 2023 bố trí 0,7% tổng chi ngân sách tỉnh."),
            Report(
                d("2024-01-15"),
                80,
                "Năm 2024 bố trí 0,85% tổng chi ngân sách tỉnh.",
                "Nguồn thu ngân sách giảm, khó cân đối đủ 1%.",
            ),
        ),
    )
    t(
        number="7",
        title="Đào tạo, bồi dưỡng kiến thức, kỹ năng chuyển đổi số cho cán bộ, công chức, viên chức",
        lead="sonv",
        coord=("sotttt",),
        deadline="Năm 2025",
        product="Lượt cán bộ, công chức, viên chức được bồi dưỡng",
        qty=5000,
        uom="lượt người",
        history=started("2023-03-31", "2024-11-30", 65),
    )
    t(
        number="8",
        title="Tổ chức hưởng ứng Ngày Chuyển đổi số quốc gia (10/10) hằng năm",
        lead="sotttt",
        deadline="Thường xuyên",
        product="Chuỗi sự kiện hưởng ứng Ngày Chuyển đổi số",
        qty=3,
        uom="sự kiện",
        history=(Report(d("2022-10-10"), 33), Report(d("2023-10-10"), 67)),
    )
    t(
        number="9",
        title="Xây dựng bộ chỉ số đánh giá mức độ chuyển đổi số (DTI) cấp sở, cấp huyện",
        lead="sotttt",
        coord=("sonv",),
        deadline="Quý II/2023",
        product="Bộ chỉ số DTI cấp sở, cấp huyện được ban hành",
        qty=1,
        uom="bộ chỉ số",
        history=done("2023-01-30", "2023-06-20"),
    )
    t(
        number="10",
        title="Ký kết, triển khai thỏa thuận hợp tác chuyển đổi số với các doanh nghiệp công nghệ số",
        lead="sotttt",
        coord=("vnpt", "viettel"),
        deadline="Thường xuyên",
        product="Thỏa thuận hợp tác được ký kết",
        qty=2,
        uom="thỏa thuận",
        history=done("2022-09-20", "2023-01-10"),
    )
    t(number="11", title="Kiểm tra, đánh giá tình hình thực hiện chuyển đổi số tại các cơ quan, địa phương",
      lead="vpubnd", coord=("sotttt",), deadline="Thường xuyên",
      product="Đoàn kiểm tra và báo cáo kết quả kiểm tra", qty=8, uom="đoàn kiểm tra",
      history=started("2023-05-20", "2024-10-15", 75))  # fmt: skip


def _government(t: partial) -> None:
    """II. 21 tasks, 11 deployed (numbers 1-11); 12-21 not deployed."""
    t(
        number="1",
        title="Nâng cấp Cổng dịch vụ công và Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
        lead="sotttt",
        coord=("vpubnd", "ttpvhcc"),
        deadline="Năm 2023",
        product="Hệ thống được nâng cấp, kết nối Cổng dịch vụ công quốc gia",
        qty=1,
        uom="hệ thống",
        history=done("2023-02-15", "2023-11-30"),
    )
    t(
        number="2",
        title="Cung cấp dịch vụ công trực tuyến toàn trình đối với 100% thủ tục hành chính đủ điều kiện",
        lead="vpubnd",
        coord=("sotttt", "ttpvhcc"),
        deadline="Năm 2024",
        product="Dịch vụ công trực tuyến toàn trình",
        qty=850,
        uom="dịch vụ",
        history=(
            Report(d("2023-03-31"), 35),
            Report(d("2023-12-31"), 70),
            Report(
                d("2024-11-30"),
                90,
                difficulties="Một số thủ tục yêu cầu bản gốc giấy tờ nên chưa thể thực hiện toàn trình.",
                proposals="Kiến nghị các bộ, ngành sửa quy định về thành phần hồ sơ.",
            ),
        ),
    )
    t(
        number="3",
        title="Xây dựng Trung tâm giám sát, điều hành thông minh (IOC) cấp tỉnh",
        lead="sotttt",
        coord=("vpubnd", "cat"),
        deadline="Năm 2024",
        extension=Extension(
            "Quý II/2025",
            "Gói thầu thuê dịch vụ phải tổ chức đấu thầu lại do không có nhà thầu đáp ứng.",
        ),
        product="Trung tâm IOC vận hành với các dịch vụ giám sát",
        qty=6,
        uom="dịch vụ giám sát",
        history=started("2023-09-30", "2024-11-30", 60),
    )
    t(
        number="4",
        title="Triển khai nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP) kết nối Nền tảng NDXP",
        lead="sotttt",
        coord=("ttcntt",),
        deadline="Quý IV/2022",
        product="Nền tảng LGSP kết nối NDXP",
        qty=1,
        uom="nền tảng",
        history=done("2022-09-05", "2022-12-20"),
    )
    t(
        number="5",
        title="Xây dựng Kho dữ liệu dùng chung của tỉnh",
        lead="ttcntt",
        coord=("sotttt",),
        deadline="Năm 2024",
        product="Bộ dữ liệu dùng chung được đưa vào Kho",
        qty=40,
        uom="bộ dữ liệu",
        history=started("2023-06-30", "2024-11-30", 45),
    )
    t(
        number="6",
        title="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
        lead="ttpvhcc",
        coord=DISTRICTS,
        deadline="Năm 2024",
        product="Hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
        qty=250000,
        uom="hồ sơ",
        history=started("2023-03-31", "2024-11-30", 82),
    )
    t(
        number="7",
        title="Cấp chữ ký số chuyên dùng cho 100% cán bộ, công chức có nhu cầu",
        lead="sotttt",
        coord=("sonv",),
        deadline="Tháng 6/2023",
        product="Chứng thư số chuyên dùng được cấp",
        qty=3200,
        uom="chứng thư số",
        history=done("2022-10-31", "2023-06-28"),
    )
    t(
        number="8",
        title="Vận hành Hệ thống quản lý văn bản và điều hành liên thông 4 cấp",
        lead="sotttt",
        coord=DISTRICTS,
        deadline="Thường xuyên",
        product="Tỷ lệ văn bản đi dưới dạng điện tử có ký số",
        qty=100,
        uom="%",
        history=(
            Report(d("2022-12-31"), 80),
            Report(d("2023-12-31"), 92),
            Report(d("2024-11-30"), 95),
        ),
    )
    t(
        number="9",
        title="Xây dựng cơ sở dữ liệu đất đai tỉnh Thái An",
        lead="sotnmt",
        coord=("sotttt", *DISTRICTS),
        deadline="Năm 2025",
        product="Cơ sở dữ liệu đất đai của các huyện, thị xã, thành phố",
        qty=7,
        uom="đơn vị cấp huyện",
        history=started("2023-08-31", "2024-11-30", 40),
    )
    t(
        number="10",
        title="Triển khai hệ thống họp trực tuyến kết nối đến 100% UBND cấp xã",
        lead="vpubnd",
        coord=("sotttt", "vnpt"),
        deadline="Quý IV/2023",
        product="Điểm cầu họp trực tuyến",
        qty=150,
        uom="điểm cầu",
        history=done("2023-04-30", "2024-02-28"),
    )
    t(
        number="11",
        title="Bảo đảm an toàn thông tin theo mô hình 4 lớp cho các hệ thống thông tin của tỉnh",
        lead="sotttt",
        coord=("cat", "ttcntt"),
        deadline="Thường xuyên",
        product="Hệ thống thông tin được phê duyệt cấp độ an toàn",
        qty=45,
        uom="hệ thống",
        history=started("2022-12-31", "2024-09-30", 70),
    )
    # Not deployed: no report, or a report at 0 % explaining why.
    t(
        number="12",
        title="Xây dựng cơ sở dữ liệu chuyên ngành giao thông vận tải",
        lead="sogtvt",
        deadline="Năm 2025",
        product="Cơ sở dữ liệu chuyên ngành giao thông vận tải",
        qty=1,
        uom="cơ sở dữ liệu",
        history=waiting(
            "2024-06-30", "Chưa được bố trí kinh phí; đang xây dựng đề cương, dự toán."
        ),
    )
    t(
        number="13",
        title="Xây dựng cơ sở dữ liệu ngành xây dựng, quy hoạch đô thị",
        lead="soxd",
        deadline="Năm 2025",
        product="Cơ sở dữ liệu quy hoạch đô thị",
        qty=1,
        uom="cơ sở dữ liệu",
    )
    t(
        number="14",
        title="Xây dựng cơ sở dữ liệu ngành nông nghiệp (trồng trọt, chăn nuôi, thủy sản)",
        lead="sonnptnt",
        deadline="Năm 2025",
        product="Cơ sở dữ liệu ngành nông nghiệp",
        qty=3,
        uom="cơ sở dữ liệu",
        history=waiting(
            "2024-06-30", "Chờ Bộ Nông nghiệp và Phát triển nông thôn ban hành danh mục dữ liệu."
        ),
    )
    t(
        number="15",
        title="Xây dựng hệ thống thông tin báo cáo của tỉnh kết nối Hệ thống thông tin báo cáo Chính phủ",
        lead="vpubnd",
        coord=("sotttt",),
        deadline="Năm 2025",
        product="Hệ thống thông tin báo cáo tỉnh",
        qty=1,
        uom="hệ thống",
    )
    t(
        number="16",
        title="Thí điểm trợ lý ảo ứng dụng trí tuệ nhân tạo trả lời người dân, doanh nghiệp",
        lead="ttcntt",
        deadline="Năm 2025",
        product="Trợ lý ảo trên Cổng dịch vụ công tỉnh",
        qty=1,
        uom="hệ thống",
    )
    t(
        number="17",
        title="Lắp đặt camera giám sát giao thông, an ninh trật tự tại các đô thị",
        lead="cat",
        coord=("tp", "longhai"),
        deadline="Giai đoạn 2023-2025",
        product="Camera giám sát kết nối Trung tâm IOC",
        qty=500,
        uom="camera",
        history=waiting("2024-09-30", "Dự án chưa được phê duyệt chủ trương đầu tư."),
    )
    t(
        number="18",
        title="Xây dựng cơ sở dữ liệu tài chính công, quản lý tài sản công",
        lead="sotc",
        deadline="Năm 2025",
        product="Cơ sở dữ liệu tài sản công",
        qty=1,
        uom="cơ sở dữ liệu",
    )
    t(
        number="19",
        title="Chuyển đổi IPv6 cho hệ thống thông tin của các cơ quan nhà nước tỉnh",
        lead="ttcntt",
        deadline="Năm 2025",
        product="Hệ thống thông tin hỗ trợ IPv6",
        qty=20,
        uom="hệ thống",
    )
    t(
        number="20",
        title="Xây dựng cơ sở dữ liệu văn hóa, di sản, du lịch",
        lead="sovhttdl",
        deadline="Năm 2025",
        product="Cơ sở dữ liệu di sản văn hóa",
        qty=1,
        uom="cơ sở dữ liệu",
    )
    t(number="21", title="Xây dựng cơ sở dữ liệu cán bộ, công chức, viên chức kết nối Cơ sở dữ liệu quốc gia",
      lead="sonv", deadline="Năm 2025", product="Hồ sơ cán bộ, công chức, viên chức được cập nhật", qty=18000, uom="hồ sơ")  # fmt: skip


def _economy(t: partial) -> None:
    """III. 9 tasks, 5 deployed (numbers 1-5)."""
    t(
        number="1",
        title="Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số (Chương trình SMEdx)",
        lead="sokhdt",
        coord=("sotttt", "soct"),
        deadline="Năm 2025",
        product="Doanh nghiệp nhỏ và vừa được hỗ trợ sử dụng nền tảng số",
        qty=500,
        uom="doanh nghiệp",
        history=started("2023-05-31", "2024-11-30", 48),
    )
    t(
        number="2",
        title="Đưa hộ sản xuất nông nghiệp, hợp tác xã lên sàn thương mại điện tử",
        lead="sonnptnt",
        coord=("buudien", "viettel"),
        deadline="Năm 2024",
        product="Hộ sản xuất, hợp tác xã có gian hàng trên sàn thương mại điện tử",
        qty=3000,
        uom="hộ",
        history=done("2023-02-28", "2024-10-30"),
    )
    t(
        number="3",
        title="Xây dựng sàn giao dịch thương mại điện tử của tỉnh",
        lead="soct",
        deadline="Năm 2024",
        product="Sàn thương mại điện tử của tỉnh vận hành",
        qty=1,
        uom="sàn",
        history=started("2023-07-31", "2024-11-30", 70),
    )
    t(
        number="4",
        title="Thúc đẩy thanh toán không dùng tiền mặt đối với điện, nước, học phí, viện phí",
        lead="nhnn",
        coord=("vnpt", "viettel", "buudien"),
        deadline="Thường xuyên",
        product="Tỷ lệ giao dịch thanh toán không dùng tiền mặt",
        qty=80,
        uom="%",
        history=started("2022-12-31", "2024-11-30", 72),
    )
    t(
        number="5",
        title="Triển khai hóa đơn điện tử khởi tạo từ máy tính tiền",
        lead="thue",
        deadline="Năm 2023",
        product="Cơ sở kinh doanh sử dụng hóa đơn điện tử từ máy tính tiền",
        qty=1200,
        uom="cơ sở",
        history=done("2023-03-31", "2023-12-15"),
    )
    t(
        number="6",
        title="Xây dựng khu công nghệ thông tin tập trung của tỉnh",
        lead="sokhdt",
        deadline="Năm 2025",
        product="Đề án khu công nghệ thông tin tập trung",
        qty=1,
        uom="đề án",
        history=waiting("2024-06-30", "Chưa bố trí được quỹ đất phù hợp."),
    )
    t(
        number="7",
        title="Phát triển du lịch thông minh: bản đồ số, thuyết minh tự động tại các điểm di tích",
        lead="sovhttdl",
        deadline="Năm 2025",
        product="Điểm di tích có thuyết minh tự động",
        qty=15,
        uom="điểm",
    )
    t(
        number="8",
        title="Hỗ trợ hình thành doanh nghiệp công nghệ số của tỉnh",
        lead="sokhcn",
        coord=("sokhdt",),
        deadline="Năm 2025",
        product="Doanh nghiệp công nghệ số được hỗ trợ",
        qty=30,
        uom="doanh nghiệp",
    )
    t(number="9", title="Ứng dụng truy xuất nguồn gốc cho các nông sản chủ lực",
      lead="sonnptnt", deadline="Năm 2025", product="Sản phẩm có mã truy xuất nguồn gốc", qty=100, uom="sản phẩm")  # fmt: skip


def _society(t: partial) -> None:
    """IV. 6 tasks, 1 deployed (number 1)."""
    t(
        number="1",
        title="Phổ cập cáp quang, điện thoại thông minh đến hộ gia đình",
        lead="sotttt",
        coord=("vnpt", "viettel"),
        deadline="Năm 2025",
        product="Tỷ lệ hộ gia đình có đường truyền cáp quang",
        qty=85,
        uom="%",
        history=started("2023-06-30", "2024-11-30", 60),
    )
    t(
        number="2",
        title="Triển khai hồ sơ sức khỏe điện tử cho người dân",
        lead="soyt",
        deadline="Năm 2025",
        product="Người dân có hồ sơ sức khỏe điện tử",
        qty=600000,
        uom="người",
        history=waiting(
            "2024-06-30", "Phần mềm quản lý khám chữa bệnh của các cơ sở chưa thống nhất."
        ),
    )
    t(
        number="3",
        title="Xây dựng nền tảng học tập trực tuyến mở (MOOCs) cho người dân",
        lead="sogddt",
        deadline="Năm 2025",
        product="Khóa học trực tuyến mở",
        qty=50,
        uom="khóa học",
    )
    t(
        number="4",
        title="Phổ cập kỹ năng số cho người dân qua Tổ công nghệ số cộng đồng",
        lead="sotttt",
        coord=DISTRICTS,
        deadline="Năm 2025",
        product="Người dân được hướng dẫn kỹ năng số",
        qty=200000,
        uom="người",
    )
    t(
        number="5",
        title="Số hóa thông tin an sinh xã hội, chi trả trợ cấp qua tài khoản",
        lead="soldtbxh",
        deadline="Năm 2025",
        product="Hồ sơ đối tượng bảo trợ xã hội được số hóa",
        qty=45000,
        uom="hồ sơ",
    )
    t(number="6", title="Xây dựng thư viện số tỉnh Thái An",
      lead="sovhttdl", deadline="Năm 2025", product="Tài liệu được số hóa đưa lên thư viện số", qty=20000, uom="tài liệu")  # fmt: skip
