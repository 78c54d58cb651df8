"""Situation 3, the 51 tasks of the Project 06 plan, by group (see ``situation_p06``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .builder import Extension, Report, d, done, started, waiting

DISTRICTS = ("tp", "dongson", "tanlap", "phuhoa", "yenbinh", "longhai", "vinhloc")


def build_p06_tasks(group: Callable[[int], Any]) -> None:
    """51 tasks. Q1/2024 and not done (overdue): I.1, I.4, II.3, III.2, III.4, IV.1, IV.4, V.2,
    VI.2, VII.3. Q1/2024 and done: I.2, II.4, II.6, VIII.4, IX.1."""
    t = group(0)
    t(
        number="1.1",
        title="Rà soát, đề xuất sửa đổi quy định còn vướng mắc khi triển khai Đề án 06",
        lead="sotp",
        coord=("cat",),
        deadline="Quý I/2024",
        product="Báo cáo rà soát, kiến nghị sửa đổi",
        qty=1,
        uom="báo cáo",
        history=started("2024-02-20", "2024-03-25", 60),
    )
    t(
        number="1.2",
        title="Ban hành quy định tiếp nhận, số hóa hồ sơ thủ tục hành chính tại Bộ phận Một cửa các cấp",
        lead="vpubnd",
        deadline="Tháng 3/2024",
        product="Quyết định của UBND tỉnh",
        qty=1,
        uom="quyết định",
        history=done("2024-02-05", "2024-03-20"),
    )
    t(
        number="1.3",
        title="Ban hành danh mục thủ tục hành chính được miễn, giảm phí, lệ phí khi thực hiện trực tuyến",
        lead="sotc",
        coord=("vpubnd",),
        deadline="Quý II/2024",
        product="Nghị quyết của HĐND tỉnh",
        qty=1,
        uom="nghị quyết",
        history=done("2024-03-15", "2024-06-18"),
    )
    t(
        number="1.4",
        title="Hướng dẫn sử dụng thông tin trên ứng dụng VNeID thay thế giấy tờ khi giải quyết thủ tục hành chính",
        lead="sotp",
        coord=("cat",),
        deadline="Quý I/2024",
        product="Văn bản hướng dẫn",
        qty=1,
        uom="văn bản",
        history=waiting(
            "2024-03-31",
            "Chờ hướng dẫn của Bộ Công an về giá trị pháp lý của thông tin trên VNeID.",
        ),
    )
    t(
        number="1.5",
        title="Cắt giảm thành phần hồ sơ đã khai thác được từ Cơ sở dữ liệu quốc gia về dân cư",
        lead="vpubnd",
        deadline="Tháng 6/2024",
        product="Thủ tục hành chính được cắt giảm thành phần hồ sơ",
        qty=120,
        uom="thủ tục",
        history=done("2024-02-28", "2024-06-14"),
    )
    t = group(1)
    t(
        number="2.1",
        title="Triển khai 53 dịch vụ công thiết yếu theo Đề án 06 trên Cổng Dịch vụ công quốc gia",
        lead="vpubnd",
        coord=("cat", "sotttt"),
        deadline="Năm 2024",
        product="Dịch vụ công thiết yếu được cung cấp trực tuyến",
        qty=53,
        uom="dịch vụ",
        history=(
            Report(d("2024-03-31"), 40, "Đã cung cấp 21/53 dịch vụ."),
            Report(d("2024-06-30"), 72, "Đã cung cấp 38/53 dịch vụ."),
            Report(d("2024-09-30"), 91, "Đã cung cấp 48/53 dịch vụ."),
            Report(d("2024-11-30"), 100, "Đã cung cấp đủ 53/53 dịch vụ công thiết yếu."),
        ),
    )
    t(
        number="2.2",
        title="Cung cấp ít nhất 20 dịch vụ công không giấy tờ, tái sử dụng dữ liệu đã số hóa",
        lead="vpubnd",
        coord=("sotttt", "sotp"),
        deadline="Năm 2024",
        product="Dịch vụ công không giấy tờ",
        qty=20,
        uom="dịch vụ",
        history=(
            Report(d("2024-06-30"), 35, "Đã triển khai 7 dịch vụ công không giấy tờ."),
            Report(
                d("2024-09-30"),
                70,
                "Đã triển khai 14 dịch vụ.",
                "Một số hệ thống chuyên ngành chưa trả kết quả điện tử.",
            ),
            Report(
                d("2024-12-20"), 100, "Đã triển khai 22 dịch vụ công không giấy tờ, vượt chỉ tiêu."
            ),
        ),
    )
    t(
        number="2.3",
        title="Liên thông 2 nhóm thủ tục: đăng ký khai sinh - thường trú - cấp thẻ BHYT; khai tử - xóa thường trú - trợ cấp mai táng",
        lead="sotp",
        coord=("cat", "bhxh", "soldtbxh"),
        deadline="Quý I/2024",
        product="Nhóm thủ tục liên thông được triển khai tại 100% xã",
        qty=2,
        uom="nhóm thủ tục",
        history=started("2024-02-15", "2024-03-28", 85),
    )
    t(
        number="2.4",
        title="Tiếp nhận, giải quyết thủ tục cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID",
        lead="sotp",
        coord=("cat",),
        deadline="Tháng 3/2024",
        product="Thủ tục được giải quyết trên VNeID",
        qty=1,
        uom="thủ tục",
        history=done("2024-02-01", "2024-03-29"),
    )
    t(
        number="2.5",
        title="Nâng tỷ lệ hồ sơ trực tuyến toàn trình của các dịch vụ công thiết yếu",
        lead="ttpvhcc",
        deadline="Thường xuyên",
        product="Tỷ lệ hồ sơ nộp trực tuyến toàn trình",
        qty=60,
        uom="%",
        history=(
            Report(d("2024-03-31"), 30),
            Report(d("2024-06-30"), 45),
            Report(d("2024-12-15"), 70),
        ),
    )
    t(
        number="2.6",
        title="Kết nối Cổng dịch vụ công tỉnh với Cơ sở dữ liệu quốc gia về dân cư để xác thực thông tin công dân",
        lead="sotttt",
        coord=("cat",),
        deadline="Quý I/2024",
        product="Kết nối được nghiệm thu",
        qty=1,
        uom="kết nối",
        history=done("2024-02-01", "2024-03-15"),
    )
    t = group(2)
    t(
        number="3.1",
        title="Thu nhận hồ sơ cấp căn cước, kích hoạt tài khoản định danh điện tử mức độ 2",
        lead="pc06",
        coord=DISTRICTS,
        deadline="Thường xuyên",
        product="Tài khoản định danh điện tử mức độ 2 được kích hoạt",
        qty=850000,
        uom="tài khoản",
        history=started("2024-03-31", "2024-12-15", 78),
    )
    t(
        number="3.2",
        title="Cấp căn cước lưu động cho người cao tuổi, người khuyết tật, công dân ở xã vùng sâu",
        lead="pc06",
        coord=DISTRICTS,
        deadline="Quý I/2024",
        product="Đợt cấp lưu động",
        qty=40,
        uom="đợt",
        history=started("2024-02-10", "2024-03-30", 70),
    )
    t(
        number="3.3",
        title="Hướng dẫn người dân cài đặt, sử dụng ứng dụng VNeID qua Tổ công nghệ số cộng đồng",
        lead="sotttt",
        coord=DISTRICTS,
        deadline="Thường xuyên",
        product="Người dân được hướng dẫn",
        qty=300000,
        uom="người",
        history=started("2024-03-31", "2024-12-15", 66),
    )
    t(
        number="3.4",
        title="Cấp tài khoản định danh điện tử cho tổ chức, doanh nghiệp",
        lead="pc06",
        coord=("sokhdt",),
        deadline="Tháng 2/2024",
        product="Tài khoản định danh điện tử tổ chức",
        qty=5000,
        uom="tài khoản",
        history=waiting("2024-02-29", "Chưa có hướng dẫn nghiệp vụ cấp tài khoản cho tổ chức."),
    )
    t(
        number="3.5",
        title="Tích hợp sổ sức khỏe điện tử, giấy phép lái xe lên ứng dụng VNeID",
        lead="soyt",
        coord=("sogtvt", "cat"),
        deadline="Quý II/2024",
        product="Tiện ích được tích hợp",
        qty=2,
        uom="tiện ích",
        history=done("2024-03-20", "2024-06-25"),
    )
    t = group(3)
    t(
        number="4.1",
        title="Rà soát, làm sạch dữ liệu hộ tịch, đồng bộ với Cơ sở dữ liệu quốc gia về dân cư",
        lead="sotp",
        coord=("pc06",),
        deadline="Quý I/2024",
        product="Bản ghi hộ tịch được làm sạch",
        qty=400000,
        uom="bản ghi",
        history=started("2024-02-15", "2024-03-31", 65),
    )
    t(
        number="4.2",
        title="Làm sạch dữ liệu người hưởng chính sách an sinh xã hội",
        lead="soldtbxh",
        coord=("pc06",),
        deadline="Tháng 9/2024",
        product="Hồ sơ người hưởng chính sách khớp đúng",
        qty=45000,
        uom="hồ sơ",
        history=done("2024-03-15", "2024-09-26"),
    )
    t(
        number="4.3",
        title="Đồng bộ dữ liệu người tham gia bảo hiểm y tế, bảo hiểm xã hội",
        lead="bhxh",
        coord=("pc06",),
        deadline="Quý II/2024",
        product="Hồ sơ người tham gia bảo hiểm được đồng bộ",
        qty=900000,
        uom="hồ sơ",
        history=done("2024-02-20", "2024-06-10"),
    )
    t(
        number="4.4",
        title="Làm sạch dữ liệu cán bộ, công chức, viên chức khớp đúng Cơ sở dữ liệu quốc gia về dân cư",
        lead="sonv",
        coord=("pc06",),
        deadline="Quý I/2024",
        product="Hồ sơ cán bộ, công chức khớp đúng",
        qty=18000,
        uom="hồ sơ",
        history=started("2024-02-28", "2024-03-29", 50),
    )
    t(
        number="4.5",
        title="Cập nhật dữ liệu học sinh, giáo viên vào Cơ sở dữ liệu ngành giáo dục kết nối dữ liệu dân cư",
        lead="sogddt",
        deadline="Tháng 8/2024",
        product="Hồ sơ học sinh, giáo viên được cập nhật",
        qty=250000,
        uom="hồ sơ",
        history=done("2024-03-01", "2024-08-20"),
    )
    t = group(4)
    t(
        number="5.1",
        title="Nâng cấp đường truyền Mạng truyền số liệu chuyên dùng đến 100% UBND cấp xã",
        lead="sotttt",
        coord=("vnpt",),
        deadline="Quý III/2024",
        product="Xã được nâng cấp đường truyền",
        qty=150,
        uom="xã",
        history=done("2024-03-10", "2024-09-12"),
    )
    t(
        number="5.2",
        title="Phê duyệt cấp độ an toàn hệ thống thông tin phục vụ Đề án 06",
        lead="sotttt",
        coord=("cat",),
        deadline="Quý I/2024",
        product="Hệ thống được phê duyệt cấp độ",
        qty=12,
        uom="hệ thống",
        history=started("2024-02-20", "2024-03-31", 40),
    )
    t(
        number="5.3",
        title="Trang bị thiết bị đọc căn cước gắn chip tại Bộ phận Một cửa các cấp",
        lead="vpubnd",
        coord=("sotc",),
        deadline="Tháng 6/2024",
        extension=Extension("Tháng 9/2024", "Chờ Sở Tài chính thẩm định dự toán mua sắm thiết bị."),
        product="Bộ phận Một cửa được trang bị thiết bị",
        qty=165,
        uom="bộ phận",
        history=done("2024-04-15", "2024-09-15"),
    )
    t(
        number="5.4",
        title="Giám sát an ninh mạng 24/7 đối với Cổng dịch vụ công và hệ thống một cửa điện tử",
        lead="cat",
        coord=("sotttt",),
        deadline="Thường xuyên",
        product="Báo cáo giám sát hằng tháng",
        qty=12,
        uom="báo cáo",
        history=started("2024-02-29", "2024-11-30", 92),
    )
    t(
        number="5.5",
        title="Kiểm tra, khắc phục lỗ hổng bảo mật trên các hệ thống thông tin của tỉnh",
        lead="cat",
        coord=("ttcntt",),
        deadline="Quý IV/2024",
        product="Hệ thống được kiểm tra, khắc phục",
        qty=30,
        uom="hệ thống",
        history=done("2024-04-01", "2024-12-05"),
    )
    t = group(5)
    t(
        number="6.1",
        title="Số hóa 100% hồ sơ, kết quả giải quyết thủ tục hành chính tiếp nhận từ ngày 01/01/2024",
        lead="ttpvhcc",
        coord=DISTRICTS,
        deadline="Thường xuyên",
        product="Tỷ lệ hồ sơ được số hóa",
        qty=100,
        uom="%",
        history=started("2024-03-31", "2024-12-15", 88),
    )
    t(
        number="6.2",
        title="Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực cấp trước năm 2024",
        lead="ttpvhcc",
        coord=DISTRICTS,
        deadline="Quý I/2024",
        product="Kết quả giải quyết được số hóa",
        qty=120000,
        uom="kết quả",
        history=started("2024-02-20", "2024-03-31", 55),
    )
    t(
        number="6.3",
        title="Số hóa sổ hộ tịch, xây dựng cơ sở dữ liệu hộ tịch điện tử",
        lead="sotp",
        deadline="Năm 2024",
        product="Sổ hộ tịch được số hóa",
        qty=9000,
        uom="sổ",
        history=done("2024-02-20", "2024-12-10"),
    )
    t(
        number="6.4",
        title="Số hóa hồ sơ đất đai, kết nối Cơ sở dữ liệu đất đai với dữ liệu dân cư",
        lead="sotnmt",
        deadline="Năm 2024",
        extension=Extension(
            "Quý II/2025", "Khối lượng hồ sơ địa chính lớn, phải chỉnh lý trước khi số hóa."
        ),
        product="Hồ sơ địa chính được số hóa",
        qty=300000,
        uom="hồ sơ",
        history=done("2024-03-15", "2025-05-30"),
    )
    t(
        number="6.5",
        title="Tái sử dụng kết quả số hóa, không yêu cầu người dân nộp lại giấy tờ đã số hóa",
        lead="vpubnd",
        coord=DISTRICTS,
        deadline="Thường xuyên",
        product="Tỷ lệ hồ sơ tái sử dụng dữ liệu",
        qty=50,
        uom="%",
        history=started("2024-06-30", "2024-12-15", 40),
    )
    t = group(6)
    t(
        number="7.1",
        title="Chi trả trợ cấp an sinh xã hội qua tài khoản cho người thụ hưởng có tài khoản",
        lead="soldtbxh",
        coord=("nhnn", "buudien"),
        deadline="Năm 2024",
        product="Người thụ hưởng nhận qua tài khoản",
        qty=30000,
        uom="người",
        history=done("2024-03-15", "2024-12-25"),
    )
    t(
        number="7.2",
        title="Thanh toán trực tuyến phí, lệ phí trên Cổng dịch vụ công",
        lead="sotc",
        coord=("nhnn",),
        deadline="Thường xuyên",
        product="Tỷ lệ hồ sơ thanh toán trực tuyến",
        qty=50,
        uom="%",
        history=started("2024-03-31", "2024-12-15", 62),
    )
    t(
        number="7.3",
        title="Mở tài khoản thanh toán cho người hưởng chính sách chưa có tài khoản",
        lead="nhnn",
        coord=("soldtbxh",),
        deadline="Quý I/2024",
        product="Tài khoản được mở",
        qty=12000,
        uom="tài khoản",
        history=started("2024-02-05", "2024-03-29", 75),
    )
    t(
        number="7.4",
        title="Chi trả lương hưu, trợ cấp bảo hiểm xã hội qua tài khoản tại khu vực đô thị",
        lead="bhxh",
        deadline="Quý III/2024",
        product="Tỷ lệ người hưởng nhận qua tài khoản",
        qty=80,
        uom="%",
        history=done("2024-02-29", "2024-09-20"),
    )
    t(
        number="7.5",
        title="Thu học phí, viện phí không dùng tiền mặt",
        lead="nhnn",
        coord=("soyt", "sogddt"),
        deadline="Năm 2024",
        product="Cơ sở giáo dục, y tế thu không dùng tiền mặt",
        qty=700,
        uom="cơ sở",
        history=done("2024-03-31", "2024-12-18"),
    )
    t = group(7)
    t(
        number="8.1",
        title="Khám chữa bệnh bằng căn cước gắn chip, VNeID thay thẻ BHYT tại 100% cơ sở khám chữa bệnh",
        lead="soyt",
        coord=("bhxh",),
        deadline="Quý II/2024",
        product="Cơ sở khám chữa bệnh áp dụng",
        qty=180,
        uom="cơ sở",
        history=done("2024-02-15", "2024-06-20"),
    )
    t(
        number="8.2",
        title="Liên thông đơn thuốc điện tử tại các cơ sở khám chữa bệnh",
        lead="soyt",
        deadline="Năm 2024",
        product="Cơ sở liên thông đơn thuốc điện tử",
        qty=180,
        uom="cơ sở",
        history=done("2024-04-10", "2025-01-20"),
    )
    t(
        number="8.3",
        title="Triển khai học bạ số cấp tiểu học",
        lead="sogddt",
        deadline="Tháng 9/2024",
        product="Trường tiểu học sử dụng học bạ số",
        qty=210,
        uom="trường",
        history=done("2024-03-01", "2024-09-10"),
    )
    t(
        number="8.4",
        title="Cấp giấy khám sức khỏe lái xe điện tử, liên thông với cấp giấy phép lái xe",
        lead="soyt",
        coord=("sogtvt",),
        deadline="Quý I/2024",
        product="Cơ sở cấp giấy khám sức khỏe điện tử",
        qty=25,
        uom="cơ sở",
        history=done("2024-02-05", "2024-03-28"),
    )
    t(
        number="8.5",
        title="Triển khai sổ sức khỏe điện tử cho người dân",
        lead="soyt",
        deadline="Thường xuyên",
        product="Người dân có sổ sức khỏe điện tử",
        qty=600000,
        uom="người",
        history=started("2024-04-30", "2024-12-15", 52),
    )
    t = group(8)
    t(
        number="9.1",
        title="Phê duyệt danh mục mô hình điểm Đề án 06 năm 2024",
        lead="cat",
        coord=("vpubnd",),
        deadline="Quý I/2024",
        product="Danh mục mô hình điểm được phê duyệt",
        qty=38,
        uom="mô hình",
        history=done("2024-02-05", "2024-03-05"),
    )
    t(
        number="9.2",
        title="Tổng kết, nhân rộng các mô hình điểm hiệu quả ra toàn tỉnh",
        lead="cat",
        deadline="Quý IV/2024",
        product="Mô hình được nhân rộng",
        qty=6,
        uom="mô hình",
        history=done("2024-10-15", "2024-12-28"),
    )
    t(
        number="9.3",
        title="Bố trí kinh phí xây dựng mô hình điểm cấp huyện",
        lead="sotc",
        deadline="Quý II/2024",
        product="Quyết định phân bổ kinh phí",
        qty=1,
        uom="quyết định",
        history=done("2024-03-10", "2024-05-30"),
    )
    t(
        number="9.4",
        title="Hướng dẫn kỹ thuật triển khai mô hình điểm cấp xã",
        lead="sotttt",
        deadline="Thường xuyên",
        product="Văn bản hướng dẫn kỹ thuật",
        qty=4,
        uom="văn bản",
        history=started("2024-04-15", "2024-10-30", 75),
    )
    t(
        number="9.5",
        title="Đánh giá hiệu quả mô hình điểm định kỳ 6 tháng",
        lead="cat",
        deadline="Thường xuyên",
        product="Báo cáo đánh giá",
        qty=2,
        uom="báo cáo",
        history=started("2024-07-05", "2024-07-05", 50),
    )
    t = group(9)
    t(
        number="10.1",
        title="Tuyên truyền lợi ích của Đề án 06 trên báo, đài, mạng xã hội",
        lead="sotttt",
        coord=("sovhttdl", *DISTRICTS),
        deadline="Thường xuyên",
        product="Tin, bài, phóng sự",
        qty=600,
        uom="tin, bài",
        history=started("2024-02-29", "2024-12-15", 85),
    )
    t(
        number="10.2",
        title="Kiểm tra tiến độ triển khai Đề án 06 tại các sở, ngành, địa phương",
        lead="cat",
        coord=("vpubnd",),
        deadline="Quý III/2024",
        product="Đoàn kiểm tra",
        qty=7,
        uom="đoàn",
        history=done("2024-05-10", "2024-09-25"),
    )
    t(
        number="10.3",
        title="Báo cáo định kỳ tháng, quý kết quả thực hiện Đề án 06",
        lead="cat",
        deadline="Thường xuyên",
        product="Báo cáo định kỳ",
        qty=16,
        uom="báo cáo",
        history=started("2024-02-25", "2024-12-20", 94),
    )
    t(
        number="10.4",
        title="Sơ kết 6 tháng, tổng kết năm thực hiện Đề án 06",
        lead="cat",
        deadline="Năm 2024",
        product="Hội nghị sơ kết, tổng kết",
        qty=2,
        uom="hội nghị",
        history=done("2024-07-10", "2024-12-30"),
    )
    t(number="10.5", title="Khen thưởng tập thể, cá nhân có thành tích trong triển khai Đề án 06",
      lead="sonv", coord=("cat",), deadline="Năm 2024", product="Tập thể, cá nhân được khen thưởng", qty=40, uom="tập thể, cá nhân",
      history=done("2024-11-15", "2024-12-27"))  # fmt: skip
