"""Seeded row generators for the demo's specialised databases, with their flaws at exact counts.

Each generator takes a ``random.Random`` and returns ``(rows, flaws)``: the rows as dicts (all
values already as they would arrive: text from old systems, numbers as numbers) and the exact
number of rows carrying each injected flaw. The flaws never overlap within a dataset, so each
count is exactly what a quality rule finds. Names, places and codes are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable
from typing import Any

from tiendo.datacatalog.textfix import detect, to_tcvn3, to_vni

Row = dict[str, Any]
Rows = tuple[list[Row], dict[str, int]]

# The nine communes of the demo province (``tiendo.demo.orgtree``), by unit code.
COMMUNES = (
    "tp.tranphu",
    "tp.quangtrung",
    "dongson.dongha",
    "tanlap.tanphu",
    "phuhoa.hoathanh",
    "yenbinh.yenhung",
    "longhai.phuochai",
    "vinhloc.locan",
    "vinhloc.vinhthanh",
)
COMMUNE_NAMES = {
    "tp.tranphu": "phường Trần Phú",
    "tp.quangtrung": "phường Quang Trung",
    "dongson.dongha": "xã Đông Hà",
    "tanlap.tanphu": "xã Tân Phú",
    "phuhoa.hoathanh": "xã Hòa Thành",
    "yenbinh.yenhung": "xã Yên Hưng",
    "longhai.phuochai": "phường Phước Hải",
    "vinhloc.locan": "thị trấn Lộc An",
    "vinhloc.vinhthanh": "xã Vĩnh Thành",
}
# Xã Đông Thịnh, merged into xã Đông Hà in 2020: its code is in no current code list.
OLD_COMMUNE = "dongson.dongthinh"
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Hoài", "Gia")  # fmt: skip
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Việt", "Yến")  # fmt: skip
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt", "Phan Bội Châu", "Hùng Vương")  # fmt: skip
PROVINCE_ID = "045"  # the fictional province's prefix in citizen identity numbers


def pick(rng: random.Random, count: int, population: range, taken: set[int]) -> set[int]:
    """``count`` row indexes not yet ``taken`` (and mark them taken): flaws never overlap."""
    free = [i for i in population if i not in taken]
    chosen = set(rng.sample(free, count))
    taken |= chosen
    return chosen


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def citizen_id(index: int, born: dt.date, female: bool) -> str:
    """12 digits: province, century and sex, two digits of the year, six serial digits."""
    century = (born.year // 100) - 19  # 1900s -> 0, 2000s -> 1
    return f"{PROVINCE_ID}{2 * century + int(female)}{born.year % 100:02d}{index:06d}"


def birth_date(rng: random.Random, first: int = 1940, last: int = 2023) -> dt.date:
    return dt.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


def dmy(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


ENCODERS = {"tcvn3": to_tcvn3, "vni": to_vni, "nfd": nfd}


def legacy(draw: Callable[[], str], form: str) -> str:
    """Text as an old system left it, in ``form``, drawn again until the flaw is one that the
    catalogue's detector recognises as that form (a short TCVN3 string can look like Unicode)."""
    for _attempt in range(100):
        text = ENCODERS[form](draw())
        if detect(text) == form:
            return text
    raise ValueError(f"no detectable {form} text drawn")  # the word lists above are to blame


def population(rng: random.Random, count: int = 2000) -> Rows:
    """Cơ sở dữ liệu dân cư: every commune present; IDs, dates, names and communes flawed."""
    taken: set[int] = set()
    short_id = pick(rng, 37, range(count), taken)  # 12-digit ID typed with 11 digits
    feb_30 = pick(rng, 8, range(count), taken)  # 30/02 does not exist
    decomposed = pick(rng, 25, range(count), taken)  # name saved in NFD by an old form
    no_commune = pick(rng, 15, range(count), taken)  # commune not filled
    # the code of a commune merged away in 2020, kept by the old system: not in the shared
    # administrative units list that the population standard (``standards/dan_cu.yaml``) names
    old_commune = pick(rng, 6, range(count), taken)
    rows = []
    for i in range(count):
        female = i % 2 == 1
        born = birth_date(rng)
        ident = citizen_id(i, born, female)
        name = legacy(lambda: person_name(rng), "nfd") if i in decomposed else person_name(rng)
        commune = COMMUNES[i % len(COMMUNES)]
        code = OLD_COMMUNE if i in old_commune else commune
        rows.append(
            {
                "so_dinh_danh": ident[:5] + ident[6:] if i in short_id else ident,
                "ho_ten": name,
                "gioi_tinh": "Nữ" if female else "Nam",
                "ngay_sinh": f"30/02/{born.year}" if i in feb_30 else dmy(born),
                "ma_xa": "" if i in no_commune else code,
                "dia_chi": f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {COMMUNE_NAMES[commune]}",
            }
        )
    flaws = {
        "id_11_digits": 37,
        "date_30_02": 8,
        "name_nfd": 25,
        "commune_missing": 15,
        "commune_old_code": 6,
    }
    return rows, flaws


LAND_USES = ("ONT", "ODT", "LUC", "CLN", "BHK", "NTS", "RSX", "TMD")


def land(rng: random.Random, count: int = 1500) -> Rows:
    """Cơ sở dữ liệu đất đai: areas, land-use codes, communes and owners' names from TCVN3."""
    taken: set[int] = set()
    bad_area = pick(rng, 6, range(count), taken)
    bad_use = pick(rng, 9, range(count), taken)
    no_commune = pick(rng, 12, range(count), taken)
    old = pick(rng, 20, range(count), taken)  # owners typed in TCVN3 by the old system
    rows = []
    for i in range(count):
        commune = COMMUNES[i % len(COMMUNES)]
        owner = legacy(lambda: person_name(rng), "tcvn3") if i in old else person_name(rng)
        rows.append(
            {
                "ma_thua": f"TA-{i // 200 + 1:03d}-{i:05d}",
                "so_to": i // 200 + 1,
                "so_thua": i % 200 + 1,
                "dien_tich": 0 if i in bad_area else round(rng.uniform(40, 5000), 1),
                "loai_dat": "XYZ" if i in bad_use else rng.choice(LAND_USES),
                "ma_xa": "" if i in no_commune else commune,
                "chu_su_dung": owner,
            }
        )
    flaws = {
        "area_not_positive": 6,
        "land_use_unknown": 9,
        "commune_missing": 12,
        "owner_tcvn3": 20,
    }
    return rows, flaws


BUSINESS_KINDS = ("Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã")
BUSINESS_NAMES = ("Thái An", "Phú Hòa", "Đông Sơn", "Hưng Thịnh", "Minh Phát", "Sao Mai", "Hoàng Long", "Tân Tiến", "Bình Minh", "Việt Tín")  # fmt: skip
TRADES = ("Xây dựng", "Thương mại", "Vận tải", "Nông nghiệp", "Chế biến thực phẩm", "Du lịch", "Công nghệ thông tin")  # fmt: skip


def businesses(rng: random.Random, count: int = 800) -> Rows:
    """Cơ sở dữ liệu doanh nghiệp: 14 records re-entered under a tax code already used."""
    rows: list[Row] = []
    for i in range(count - 14):
        rows.append(
            {
                "ma_so_thue": f"46{rng.randint(0, 9)}{i:07d}",
                "ten_doanh_nghiep": f"{rng.choice(BUSINESS_KINDS)} {rng.choice(BUSINESS_NAMES)} {i + 1}",
                "ngay_thanh_lap": birth_date(rng, 1995, 2024),
                "von_dieu_le": rng.randint(1, 500) * 100_000_000,
                "nganh_nghe": rng.choice(TRADES),
                "ma_xa": COMMUNES[i % len(COMMUNES)],
            }
        )
    # Re-registrations typed again by another office: same tax code, name in other words.
    for original in rng.sample(rows[:], 14):
        copy = dict(original)
        copy["ten_doanh_nghiep"] = str(original["ten_doanh_nghiep"]).upper()
        rows.append(copy)
    flaws = {"tax_code_duplicate_rows": 14}
    return rows, flaws


FACILITY_KINDS = ("Bệnh viện", "Trung tâm y tế", "Trạm y tế", "Phòng khám đa khoa", "Nhà thuốc")


def health(rng: random.Random, count: int = 120) -> Rows:
    """Cơ sở y tế: names in NFD from a web form, communes missing."""
    taken: set[int] = set()
    decomposed = pick(rng, 10, range(count), taken)
    no_commune = pick(rng, 4, range(count), taken)
    rows = []
    for i in range(count):
        commune = COMMUNES[i % len(COMMUNES)]
        kind = FACILITY_KINDS[i % len(FACILITY_KINDS)]
        name = f"{kind} {COMMUNE_NAMES[commune]} số {i // len(COMMUNES) + 1}"
        rows.append(
            {
                "ma_co_so": f"YT{i + 1:04d}",
                "ten_co_so": legacy(lambda: name, "nfd") if i in decomposed else name,  # noqa: B023
                "loai_hinh": kind,
                "so_giuong": rng.randint(0, 500) if kind != "Nhà thuốc" else 0,
                "ma_xa": "" if i in no_commune else commune,
            }
        )
    return rows, {"name_nfd": 10, "commune_missing": 4}


SCHOOL_LEVELS = ("Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông")
SCHOOL_GAP = ("yenbinh.yenhung", "longhai.phuochai")  # communes with no school record sent


def schools(rng: random.Random, count: int = 150) -> Rows:
    """Trường học: two communes never sent their schools (coverage)."""
    covered = [c for c in COMMUNES if c not in SCHOOL_GAP]
    rows = []
    for i in range(count):
        commune = covered[i % len(covered)]
        level = SCHOOL_LEVELS[i % len(SCHOOL_LEVELS)]
        rows.append(
            {
                "ma_truong": f"GD{i + 1:04d}",
                "ten_truong": f"Trường {level} {COMMUNE_NAMES[commune].split(' ', 1)[1]} {i // 28 + 1}",
                "cap_hoc": level,
                "so_hoc_sinh": rng.randint(80, 1800),
                "ma_xa": commune,
            }
        )
    return rows, {"communes_missing": len(SCHOOL_GAP)}


HERITAGE = ("Đình làng", "Chùa", "Đền thờ", "Miếu", "Nhà thờ họ", "Di chỉ khảo cổ")
RANKS = ("Quốc gia đặc biệt", "Quốc gia", "Cấp tỉnh")


def heritage(rng: random.Random, count: int = 60) -> Rows:
    """Di tích văn hóa: typed in the 1990s with .VnTime (TCVN3) and VNI fonts."""
    taken: set[int] = set()
    tcvn3 = pick(rng, 18, range(count), taken)
    vni = pick(rng, 6, range(count), taken)
    rows = []
    for i in range(count):
        commune = COMMUNES[i % len(COMMUNES)]
        kind = HERITAGE[i % len(HERITAGE)]

        def draw(kind: str = kind, number: int = i + 1) -> str:
            return f"{kind} {rng.choice(BUSINESS_NAMES)} {number}"

        if i in tcvn3:
            name = legacy(draw, "tcvn3")
        elif i in vni:
            name = legacy(draw, "vni")
        else:
            name = draw()
        rows.append(
            {
                "ma_di_tich": f"DT{i + 1:03d}",
                "ten_di_tich": name,
                "cap_xep_hang": RANKS[0] if i < 2 else rng.choice(RANKS[1:]),
                "nam_xep_hang": rng.randint(1962, 2023),
                "ma_xa": commune,
            }
        )
    return rows, {"name_tcvn3": 18, "name_vni": 6}


def cooperatives(rng: random.Random, count: int = 90) -> Rows:
    """Hợp tác xã nông nghiệp: clean, but last updated in March 2023 (monthly declared)."""
    rows = [
        {
            "ma_htx": f"HTX{i + 1:03d}",
            "ten_htx": f"Hợp tác xã nông nghiệp {rng.choice(BUSINESS_NAMES)} {i + 1}",
            "so_thanh_vien": rng.randint(7, 900),
            "ma_xa": COMMUNES[i % len(COMMUNES)],
        }
        for i in range(count)
    ]
    return rows, {}


def investment(rng: random.Random, count: int = 200) -> Rows:
    """Dự án đầu tư công: start years typed with a slipped digit (2225 for 2025)."""
    taken: set[int] = set()
    bad_year = pick(rng, 5, range(count), taken)
    rows = []
    for i in range(count):
        year = rng.randint(2016, 2025)
        rows.append(
            {
                "ma_du_an": f"DA{2016 + i % 10}-{i + 1:04d}",
                "ten_du_an": f"Dự án {rng.choice(('Xây dựng', 'Nâng cấp', 'Cải tạo'))} "
                f"{rng.choice(('đường', 'trường học', 'trạm y tế', 'kênh mương', 'nhà văn hóa'))} "
                f"{COMMUNE_NAMES[COMMUNES[i % len(COMMUNES)]]}",
                "tong_muc_dau_tu": rng.randint(5, 900) * 1_000_000_000,
                "nam_khoi_cong": int("22" + str(year)[2:]) if i in bad_year else year,
                "chu_dau_tu": rng.choice(
                    (
                        "Sở Xây dựng",
                        "Sở Giao thông vận tải",
                        "UBND huyện Đông Sơn",
                        "UBND thị xã Long Hải",
                    )
                ),
                "ma_xa": COMMUNES[i % len(COMMUNES)],
            }
        )
    return rows, {"start_year_out_of_range": 5}


GRADES = ("Chuyên viên", "Chuyên viên chính", "Chuyên viên cao cấp", "Cán sự", "Văn thư")
OFFICES = ("Sở Nội vụ", "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "UBND huyện Tân Lập", "UBND xã Đông Hà")  # fmt: skip


def civil_servants(rng: random.Random, count: int = 600) -> Rows:
    """Cán bộ, công chức, viên chức: a few IDs short of a digit, impossible birth dates."""
    taken: set[int] = set()
    short_id = pick(rng, 9, range(count), taken)
    feb_30 = pick(rng, 4, range(count), taken)
    rows = []
    for i in range(count):
        female = i % 3 == 0
        born = birth_date(rng, 1965, 2001)
        ident = citizen_id(500_000 + i, born, female)
        rows.append(
            {
                "so_dinh_danh": ident[:5] + ident[6:] if i in short_id else ident,
                "ho_ten": person_name(rng),
                "ngay_sinh": f"30/02/{born.year}" if i in feb_30 else dmy(born),
                "don_vi": rng.choice(OFFICES),
                "ngach": rng.choice(GRADES),
            }
        )
    return rows, {"id_11_digits": 9, "date_30_02": 4}


def accidents(rng: random.Random, count: int = 400) -> Rows:
    """Tai nạn giao thông: dates as text with 30/02, communes missing."""
    taken: set[int] = set()
    feb_30 = pick(rng, 6, range(count), taken)
    no_commune = pick(rng, 20, range(count), taken)
    rows = []
    for i in range(count):
        day = birth_date(rng, 2022, 2024)
        rows.append(
            {
                "ma_vu": f"TNGT-{day.year}-{i + 1:04d}",
                "ngay_xay_ra": f"30/02/{day.year}" if i in feb_30 else dmy(day),
                "so_nguoi_chet": rng.choice((0, 0, 0, 1, 1, 2)),
                "so_nguoi_bi_thuong": rng.randint(0, 6),
                "ma_xa": "" if i in no_commune else COMMUNES[i % len(COMMUNES)],
            }
        )
    return rows, {"date_30_02": 6, "commune_missing": 20}


GENERATORS: dict[str, Callable[[random.Random], Rows]] = {
    "dan_cu": population,
    "dat_dai": land,
    "doanh_nghiep": businesses,
    "co_so_y_te": health,
    "truong_hoc": schools,
    "di_tich": heritage,
    "htx_nong_nghiep": cooperatives,
    "du_an_dau_tu_cong": investment,
    "can_bo_cong_chuc": civil_servants,
    "tai_nan_giao_thong": accidents,
}
