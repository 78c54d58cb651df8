"""The demo province's specialised databases, generated at demo time (no data files committed).

``DEMO_DATASETS`` describes eleven databases of Tỉnh Thái An owned by its departments: ten built
(with the flaws old systems leave: 11-digit citizen IDs, 30/02 dates, missing communes,
duplicate tax codes, NFD and TCVN3/VNI text, a database no longer updated) and one planned but
not built. ``write_source(spec, directory)`` generates a dataset's rows with its own seed and
writes them in the format its owner really sends (CSV, XLSX or Parquet); ``tiendo.datacatalog.demo``
ingests those files through the catalogue's own upload service.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .rows import COMMUNES, GENERATORS, SCHOOL_GAP, Row

COMMUNE_LIST = "xa_thaian"  # code list of the province's communes (coverage, conformance)
# The shared standard's code list (``standards/dan_cu.yaml``): every administrative unit of the
# province, loaded from the unit tree as ``manage.py datacatalog_unit_codes`` does.
UNITS_LIST = "don-vi-hanh-chinh"
SEED = 20240901


@dataclass(frozen=True)
class DemoField:
    name: str
    label: str
    type: str = "text"  # a ``FieldType`` value
    required: bool = False
    code_list: str = ""


@dataclass(frozen=True)
class DemoDataset:
    code: str
    name: str
    owner: str  # unit code in ``tiendo.demo.orgtree``
    description: str
    legal_basis: str
    frequency: str
    fields: tuple[DemoField, ...] = ()
    file_format: str = "csv"  # csv, xlsx, parquet
    rules_yaml: str = ""
    key_fields: str = ""
    shared_with: tuple[str, ...] = ()  # unit codes granted use (their subtrees too)
    partition_by: str = ""
    publish: bool = True
    planned: bool = False  # declared in the plan, not built: no data
    last_update: dt.date | None = None  # when the only version was loaded (outdated data)
    flaws: dict[str, int] = field(default_factory=dict)


def _f(
    name: str, label: str, type_: str = "text", required: bool = False, code_list: str = ""
) -> DemoField:
    return DemoField(name, label, type_, required, code_list)


COMMUNE = _f("ma_xa", "Mã xã", code_list=COMMUNE_LIST)
ADDRESS_RULES = f"""
  ma_xa: {{required: true, code_list: {COMMUNE_LIST}}}
"""

DEMO_DATASETS: tuple[DemoDataset, ...] = (
    DemoDataset(
        code="dan_cu",
        name="Cơ sở dữ liệu dân cư tỉnh Thái An",
        owner="pc06",
        description="Thông tin công dân thường trú trên địa bàn tỉnh, đồng bộ từ hệ thống quản lý cư trú.",
        legal_basis="Luật Căn cước 2023; Quyết định 06/QĐ-TTg ngày 06/01/2022",
        frequency="monthly",
        file_format="parquet",
        fields=(
            _f("so_dinh_danh", "Số định danh cá nhân", required=True),
            _f("ho_ten", "Họ và tên", required=True),
            _f("gioi_tinh", "Giới tính"),
            _f("ngay_sinh", "Ngày sinh"),
            _f("ma_xa", "Mã xã", code_list=UNITS_LIST),
            _f("dia_chi", "Địa chỉ thường trú"),
        ),
        key_fields="so_dinh_danh",
        # The reference population database follows the shared population standard: its
        # commune codes use the standard's list (six rows carry a merged-away commune's code),
        # while coverage still asks for every commune of the province's own list.
        rules_yaml=f"""standard: dan_cu
key: [so_dinh_danh]
names: [ho_ten]
fields:
  so_dinh_danh: {{required: true, pattern: '^[0-9]{{12}}$', unique: true}}
  ho_ten: {{required: true}}
  gioi_tinh: {{values: [Nam, Nữ]}}
  ngay_sinh: {{type: date, format: '%d/%m/%Y', max: today}}
  ma_xa: {{required: true, code_list: {UNITS_LIST}}}
coverage: {{field: ma_xa, expected: {COMMUNE_LIST}}}
live: {{frequency: monthly}}
""",
        shared_with=("bhxh", "soyt"),
        partition_by="ma_xa",
    ),
    DemoDataset(
        code="dat_dai",
        name="Cơ sở dữ liệu đất đai",
        owner="sotnmt",
        description="Thửa đất, diện tích, loại đất và người sử dụng đất theo bản đồ địa chính.",
        legal_basis="Luật Đất đai 2024",
        frequency="quarterly",
        file_format="csv",
        fields=(
            _f("ma_thua", "Mã thửa", required=True),
            _f("so_to", "Số tờ bản đồ", "integer"),
            _f("so_thua", "Số thửa", "integer"),
            _f("dien_tich", "Diện tích (m²)", "decimal"),
            _f("loai_dat", "Loại đất"),
            COMMUNE,
            _f("chu_su_dung", "Người sử dụng đất"),
        ),
        key_fields="ma_thua",
        rules_yaml=f"""key: [ma_thua]
fields:
  ma_thua: {{required: true, unique: true}}
  dien_tich: {{type: number, min: 0.1}}
  loai_dat: {{values: [ONT, ODT, LUC, CLN, BHK, NTS, RSX, TMD]}}
  chu_su_dung: {{required: true}}
{ADDRESS_RULES}coverage: {{field: ma_xa, expected: {COMMUNE_LIST}}}
live: {{frequency: quarterly}}
""",
        shared_with=("sotc", "sokhdt"),
        partition_by="ma_xa",
    ),
    DemoDataset(
        code="doanh_nghiep",
        name="Cơ sở dữ liệu doanh nghiệp",
        owner="sokhdt",
        description="Doanh nghiệp, hợp tác xã đăng ký trên địa bàn tỉnh: mã số thuế, vốn, ngành nghề.",
        legal_basis="Luật Doanh nghiệp 2020",
        frequency="monthly",
        file_format="xlsx",
        fields=(
            _f("ma_so_thue", "Mã số thuế", required=True),
            _f("ten_doanh_nghiep", "Tên doanh nghiệp", required=True),
            _f("ngay_thanh_lap", "Ngày thành lập", "date"),
            _f("von_dieu_le", "Vốn điều lệ (đồng)", "integer"),
            _f("nganh_nghe", "Ngành nghề chính"),
            COMMUNE,
        ),
        key_fields="ma_so_thue",
        rules_yaml=f"""key: [ma_so_thue]
names: [ten_doanh_nghiep]
fields:
  ma_so_thue: {{required: true, pattern: '^[0-9]{{10}}$', unique: true}}
  ten_doanh_nghiep: {{required: true}}
  ngay_thanh_lap: {{type: date, max: today}}
  von_dieu_le: {{type: integer, min: 1}}
{ADDRESS_RULES}live: {{frequency: monthly}}
""",
        shared_with=("tinh",),
    ),
    DemoDataset(
        code="co_so_y_te",
        name="Cơ sở dữ liệu cơ sở y tế",
        owner="soyt",
        description="Bệnh viện, trung tâm y tế, trạm y tế, phòng khám và nhà thuốc được cấp phép.",
        legal_basis="Luật Khám bệnh, chữa bệnh 2023",
        frequency="quarterly",
        file_format="csv",
        fields=(
            _f("ma_co_so", "Mã cơ sở", required=True),
            _f("ten_co_so", "Tên cơ sở", required=True),
            _f("loai_hinh", "Loại hình"),
            _f("so_giuong", "Số giường bệnh", "integer"),
            COMMUNE,
        ),
        key_fields="ma_co_so",
        rules_yaml=f"""key: [ma_co_so]
names: [ten_co_so]
fields:
  ma_co_so: {{required: true, unique: true}}
  ten_co_so: {{required: true}}
  so_giuong: {{type: integer, min: 0}}
{ADDRESS_RULES}coverage: {{field: ma_xa, expected: {COMMUNE_LIST}}}
live: {{frequency: quarterly}}
""",
        shared_with=("tinh",),
    ),
    DemoDataset(
        code="truong_hoc",
        name="Cơ sở dữ liệu trường học",
        owner="sogddt",
        description="Trường mầm non, tiểu học, trung học trên địa bàn; số học sinh theo năm học.",
        legal_basis="Luật Giáo dục 2019",
        frequency="yearly",
        file_format="xlsx",
        fields=(
            _f("ma_truong", "Mã trường", required=True),
            _f("ten_truong", "Tên trường", required=True),
            _f("cap_hoc", "Cấp học"),
            _f("so_hoc_sinh", "Số học sinh", "integer"),
            COMMUNE,
        ),
        key_fields="ma_truong",
        rules_yaml=f"""key: [ma_truong]
fields:
  ma_truong: {{required: true, unique: true}}
  cap_hoc: {{values: [Mầm non, Tiểu học, Trung học cơ sở, Trung học phổ thông]}}
{ADDRESS_RULES}coverage: {{field: ma_xa, expected: {COMMUNE_LIST}}}
live: {{frequency: yearly}}
""",
        shared_with=("tinh",),
        partition_by="ma_xa",
    ),
    DemoDataset(
        code="di_tich",
        name="Cơ sở dữ liệu di tích lịch sử - văn hóa",
        owner="sovhttdl",
        description="Di tích được xếp hạng; số hóa từ sổ sách và tệp của những năm 1990.",
        legal_basis="Luật Di sản văn hóa 2024",
        frequency="yearly",
        file_format="csv",
        fields=(
            _f("ma_di_tich", "Mã di tích", required=True),
            _f("ten_di_tich", "Tên di tích", required=True),
            _f("cap_xep_hang", "Cấp xếp hạng"),
            _f("nam_xep_hang", "Năm xếp hạng", "integer"),
            COMMUNE,
        ),
        key_fields="ma_di_tich",
        rules_yaml=f"""key: [ma_di_tich]
names: [ten_di_tich]
fields:
  ma_di_tich: {{required: true, unique: true}}
  ten_di_tich: {{required: true}}
  cap_xep_hang: {{values: [Quốc gia đặc biệt, Quốc gia, Cấp tỉnh]}}
  nam_xep_hang: {{type: integer, min: 1962, max: 2030}}
{ADDRESS_RULES}live: {{frequency: yearly}}
""",
        shared_with=("tinh",),
    ),
    DemoDataset(
        code="htx_nong_nghiep",
        name="Cơ sở dữ liệu hợp tác xã nông nghiệp",
        owner="sonnptnt",
        description="Hợp tác xã nông nghiệp và số thành viên. Không còn được cập nhật từ tháng 3/2023.",
        legal_basis="Luật Hợp tác xã 2023",
        frequency="monthly",
        file_format="csv",
        fields=(
            _f("ma_htx", "Mã hợp tác xã", required=True),
            _f("ten_htx", "Tên hợp tác xã", required=True),
            _f("so_thanh_vien", "Số thành viên", "integer"),
            COMMUNE,
        ),
        key_fields="ma_htx",
        rules_yaml=f"""key: [ma_htx]
fields:
  ma_htx: {{required: true, unique: true}}
  so_thanh_vien: {{type: integer, min: 7}}
{ADDRESS_RULES}live: {{frequency: monthly}}
""",
        last_update=dt.date(2023, 3, 15),
    ),
    DemoDataset(
        code="du_an_dau_tu_cong",
        name="Cơ sở dữ liệu dự án đầu tư công",
        owner="sokhdt",
        description="Dự án đầu tư công của tỉnh: tổng mức đầu tư, năm khởi công, chủ đầu tư.",
        legal_basis="Luật Đầu tư công 2024",
        frequency="quarterly",
        file_format="parquet",
        fields=(
            _f("ma_du_an", "Mã dự án", required=True),
            _f("ten_du_an", "Tên dự án", required=True),
            _f("tong_muc_dau_tu", "Tổng mức đầu tư (đồng)", "integer"),
            _f("nam_khoi_cong", "Năm khởi công", "integer"),
            _f("chu_dau_tu", "Chủ đầu tư"),
            COMMUNE,
        ),
        key_fields="ma_du_an",
        rules_yaml=f"""key: [ma_du_an]
fields:
  ma_du_an: {{required: true, unique: true}}
  tong_muc_dau_tu: {{type: integer, min: 1}}
  nam_khoi_cong: {{type: integer, min: 2000, max: 2030}}
{ADDRESS_RULES}live: {{frequency: quarterly}}
""",
        shared_with=("sotc", "tinh"),
    ),
    DemoDataset(
        code="can_bo_cong_chuc",
        name="Cơ sở dữ liệu cán bộ, công chức, viên chức",
        owner="sonv",
        description="Hồ sơ cán bộ, công chức, viên chức của các cơ quan trên địa bàn tỉnh.",
        legal_basis="Luật Cán bộ, công chức 2008 (sửa đổi 2019)",
        frequency="monthly",
        file_format="parquet",
        fields=(
            _f("so_dinh_danh", "Số định danh cá nhân", required=True),
            _f("ho_ten", "Họ và tên", required=True),
            _f("ngay_sinh", "Ngày sinh"),
            _f("don_vi", "Cơ quan, đơn vị"),
            _f("ngach", "Ngạch"),
        ),
        key_fields="so_dinh_danh",
        # Personnel records share the population standard's identity fields; they have no
        # commune code, which the unified dimension reports (the standard's ``ma_xa``).
        rules_yaml="""standard: dan_cu
key: [so_dinh_danh]
fields:
  so_dinh_danh: {required: true, pattern: '^[0-9]{12}$', unique: true}
  ho_ten: {required: true}
  ngay_sinh: {type: date, format: '%d/%m/%Y', max: today}
live: {frequency: monthly}
""",
        publish=False,  # personnel records: kept out of the shared warehouse
    ),
    DemoDataset(
        code="tai_nan_giao_thong",
        name="Cơ sở dữ liệu tai nạn giao thông",
        owner="sogtvt",
        description="Vụ tai nạn giao thông đường bộ: ngày, địa bàn, thiệt hại về người.",
        legal_basis="Luật Trật tự, an toàn giao thông đường bộ 2024",
        frequency="monthly",
        file_format="csv",
        fields=(
            _f("ma_vu", "Mã vụ", required=True),
            _f("ngay_xay_ra", "Ngày xảy ra"),
            _f("so_nguoi_chet", "Số người chết", "integer"),
            _f("so_nguoi_bi_thuong", "Số người bị thương", "integer"),
            COMMUNE,
        ),
        key_fields="ma_vu",
        rules_yaml=f"""key: [ma_vu]
fields:
  ma_vu: {{required: true, unique: true}}
  ngay_xay_ra: {{type: date, format: '%d/%m/%Y', max: today}}
  so_nguoi_chet: {{type: integer, min: 0}}
{ADDRESS_RULES}coverage: {{field: ma_xa, expected: {COMMUNE_LIST}}}
live: {{frequency: monthly}}
""",
        shared_with=("cat",),
        publish=False,  # loaded, not yet published
    ),
    DemoDataset(
        code="ho_tich",
        name="Cơ sở dữ liệu hộ tịch điện tử",
        owner="sotp",
        description="Khai sinh, kết hôn, khai tử số hóa từ sổ hộ tịch giấy. Kế hoạch năm 2025, chưa xây dựng.",
        legal_basis="Luật Hộ tịch 2014; Kế hoạch chuyển đổi số tỉnh 2022-2025",
        frequency="daily",
        planned=True,
        publish=False,
    ),
)

# Flaw counts come from the generators (one seeded call per dataset, see ``generate``).
DEMO_BY_CODE = {d.code: d for d in DEMO_DATASETS}
DUCKDB_TYPES = {"text": "VARCHAR", "integer": "BIGINT", "decimal": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}  # fmt: skip


def generate(spec: DemoDataset) -> tuple[list[Row], dict[str, int]]:
    """The dataset's rows and flaw counts; the same on every run (seeded by the code)."""
    if spec.planned:
        return [], {}
    rng = random.Random(SEED + zlib.crc32(spec.code.encode()))  # noqa: S311 -- demo data, not secrets
    return GENERATORS[spec.code](rng)


def write_source(spec: DemoDataset, directory: Path) -> tuple[Path, dict[str, int]]:
    """Write the dataset's generated rows as the file its owner would upload."""
    rows, flaws = generate(spec)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{spec.code}.{spec.file_format}"
    names = [f.name for f in spec.fields]
    if spec.file_format == "xlsx":
        _write_xlsx(target, names, rows)
    elif spec.file_format == "parquet":
        _write_parquet(target, spec, rows)
    else:
        _write_csv(target, names, rows)
    return target, flaws


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_csv(target: Path, names: list[str], rows: list[Row]) -> None:
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(row[n]) for n in names])


def _write_xlsx(target: Path, names: list[str], rows: list[Row]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Dữ liệu")
    sheet.append(names)
    for row in rows:
        sheet.append([row[n] if row[n] != "" else None for n in names])
    book.save(target)


def _write_parquet(target: Path, spec: DemoDataset, rows: list[Row]) -> None:
    """Through a CSV with declared column types (no type guessing: IDs keep leading zeros)."""
    staging = target.with_suffix(".staging.csv")
    names = [f.name for f in spec.fields]
    _write_csv(staging, names, rows)
    columns = ", ".join(f"'{f.name}': '{DUCKDB_TYPES[f.type]}'" for f in spec.fields)
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_csv(?, header = true, columns = {{{columns}}})) "  # noqa: S608 -- names from the spec above
            f"TO '{target.as_posix()}' (FORMAT parquet)",
            [str(staging)],
        )
    finally:
        con.close()
        staging.unlink(missing_ok=True)


__all__ = [
    "COMMUNES",
    "COMMUNE_LIST",
    "DEMO_BY_CODE",
    "DEMO_DATASETS",
    "SCHOOL_GAP",
    "UNITS_LIST",
    "generate",
    "write_source",
]
