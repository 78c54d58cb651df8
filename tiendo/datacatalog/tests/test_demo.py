"""The catalogue demo: eleven databases of the demo province, loaded through the real services,
with flaws at the exact counts the generators inject; figures, console and index on top."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from django.db import transaction

from tiendo.accounts.models import User
from tiendo.datacatalog.demo import CatalogueDemoResult, seed_catalogue
from tiendo.datacatalog.demo_sources import DEMO_BY_CODE, DEMO_DATASETS, generate
from tiendo.datacatalog.textfix import detect_sql
from tiendo.demo.seed import seed

from ..console import run_query
from ..models import Dataset, DatasetProduct, Publication, VersionStatus
from ..selectors import quality_by_dimension
from ..selectors_warehouse import (
    catalogue_figure_list,
    catalogue_tile,
    console_publications,
    console_tables,
    publication_dir,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[CatalogueDemoResult]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed()
            yield seed_catalogue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def count(code: str, where: str) -> int:
    """Rows of the dataset's current version (the ingested Parquet file) matching ``where``."""
    version = Dataset.objects.get(code=code).versions.get(status=VersionStatus.CURRENT)
    sql = f"SELECT count(*) FROM read_parquet(?) WHERE {where}"  # noqa: S608 -- test literals
    return int(duckdb.connect().execute(sql, [str(version.parquet_file)]).fetchone()[0])


def test_eleven_databases_ten_loaded_eight_published(demo: CatalogueDemoResult) -> None:
    assert (demo.created, demo.versions, demo.publications) == (11, 10, 8)
    assert Dataset.objects.count() == 11
    rows = {d.code: d.versions.get(status=VersionStatus.CURRENT).row_count for d in Dataset.objects.exclude(code="ho_tich")}  # fmt: skip
    assert rows == {
        "dan_cu": 2000, "dat_dai": 1500, "doanh_nghiep": 800, "co_so_y_te": 120,
        "truong_hoc": 150, "di_tich": 60, "htx_nong_nghiep": 90, "du_an_dau_tu_cong": 200,
        "can_bo_cong_chuc": 600, "tai_nan_giao_thong": 400,
    }  # fmt: skip
    assert not Dataset.objects.get(code="ho_tich").versions.exists()


ID_11 = "length(so_dinh_danh) = 11"
FEB_30 = "{field} LIKE '30/02/%'"
NO_COMMUNE = "ma_xa IS NULL OR ma_xa = ''"


@pytest.mark.parametrize(
    ("code", "flaw", "where"),
    [
        ("dan_cu", "id_11_digits", ID_11),
        ("dan_cu", "date_30_02", FEB_30.format(field="ngay_sinh")),
        ("dan_cu", "name_nfd", detect_sql("ho_ten", "nfd")),
        ("dan_cu", "commune_missing", NO_COMMUNE),
        ("dan_cu", "commune_old_code", "ma_xa = 'dongson.dongthinh'"),
        ("dat_dai", "area_not_positive", "dien_tich <= 0"),
        ("dat_dai", "land_use_unknown", "loai_dat NOT IN ('ONT','ODT','LUC','CLN','BHK','NTS','RSX','TMD')"),
        ("dat_dai", "commune_missing", NO_COMMUNE),
        ("dat_dai", "owner_tcvn3", detect_sql("chu_su_dung", "tcvn3")),
        ("co_so_y_te", "name_nfd", detect_sql("ten_co_so", "nfd")),
        ("co_so_y_te", "commune_missing", NO_COMMUNE),
        ("di_tich", "name_tcvn3", detect_sql("ten_di_tich", "tcvn3")),
        ("di_tich", "name_vni", detect_sql("ten_di_tich", "vni")),
        ("du_an_dau_tu_cong", "start_year_out_of_range", "nam_khoi_cong > 2030"),
        ("can_bo_cong_chuc", "id_11_digits", ID_11),
        ("can_bo_cong_chuc", "date_30_02", FEB_30.format(field="ngay_sinh")),
        ("tai_nan_giao_thong", "date_30_02", FEB_30.format(field="ngay_xay_ra")),
        ("tai_nan_giao_thong", "commune_missing", NO_COMMUNE),
    ],
)  # fmt: skip
def test_each_flaw_is_in_the_loaded_data_at_its_count(
    demo, code: str, flaw: str, where: str
) -> None:
    expected = generate(DEMO_BY_CODE[code])[1][flaw]
    assert count(code, where) == expected
    assert count(code, "true") - count(code, f"NOT ({where}) OR ({where}) IS NULL") == expected


def test_duplicates_and_coverage(demo) -> None:
    duplicated = duckdb.connect().execute(
        "SELECT count(*) - count(DISTINCT ma_so_thue) FROM read_parquet(?)",
        [str(Dataset.objects.get(code="doanh_nghiep").versions.get().parquet_file)],
    )
    assert duplicated.fetchone() == (14,)
    schools = Dataset.objects.get(code="truong_hoc").versions.get().parquet_file
    communes = duckdb.connect().execute(
        "SELECT count(DISTINCT ma_xa) FROM read_parquet(?)", [str(schools)]
    )
    assert communes.fetchone() == (7,)  # 9 communes, two never sent their schools


def test_every_flaw_count_is_declared_once() -> None:
    declared = {d.code: generate(d)[1] for d in DEMO_DATASETS}
    assert sum(sum(f.values()) for f in declared.values()) == 37 + 8 + 25 + 15 + 6 + 6 + 9 + 12 + 20 + 14 + 10 + 4 + 2 + 18 + 6 + 5 + 9 + 4 + 6 + 20  # fmt: skip


def test_the_province_tile(demo) -> None:
    leader = User.objects.get(username="chutich")
    tile = catalogue_tile(leader, None)
    assert {k: tile.counts[k] for k in ("total", "planned", "built", "not_live", "published", "unpublished")} == {
        "total": 11, "planned": 1, "built": 10, "not_live": 1, "published": 8, "unpublished": 2,
    }  # fmt: skip
    assert [f.dataset.code for f in catalogue_figure_list(leader, None, "not_live")] == [
        "htx_nong_nghiep"
    ]
    assert [f.dataset.code for f in catalogue_figure_list(leader, None, "planned")] == ["ho_tich"]


def test_partitioned_publication_and_lineage(demo) -> None:
    publication = Publication.objects.get(table_name="dan_cu")
    assert publication.partition_by == "ma_xa"
    assert publication.row_count == 2000
    assert publication.file_count == 11  # nine communes, a merged one, the rows without one
    assert publication.source_description == "dan_cu.parquet"
    assert publication.published_by.username == "quantri"
    assert (publication_dir(publication) / "ma_xa=__HIVE_DEFAULT_PARTITION__").is_dir()


def test_an_analyst_queries_what_is_shared_with_the_province(demo) -> None:
    analyst = User.objects.get(username="canbo.sotttt")
    tables = [p.table_name for p in console_publications(analyst)]
    assert tables == ["co_so_y_te", "di_tich", "doanh_nghiep", "du_an_dau_tu_cong", "truong_hoc"]
    result = run_query(
        "SELECT count(*) FROM truong_hoc", tables=console_tables(console_publications(analyst))
    )
    assert result.rows == [(150,)]


def test_tasks_name_the_database_they_deliver(demo) -> None:
    links = {
        (p.task.title, p.dataset.code)
        for p in DatasetProduct.objects.select_related("task", "dataset")
    }
    assert ("Xây dựng cơ sở dữ liệu đất đai tỉnh Thái An", "dat_dai") in links
    assert len(links) == 4


def test_seeding_again_changes_nothing(demo) -> None:
    again = seed_catalogue()
    assert (again.created, again.versions, again.publications) == (0, 0, 0)
    assert Dataset.objects.count() == 11


def failed(code: str) -> dict[str, int]:
    """The stored quality measures of the dataset's current version that found failures."""
    version = Dataset.objects.get(code=code).versions.get(status=VersionStatus.CURRENT)
    return {m.rule: m.failed for m in version.quality.all() if m.failed}


def test_the_quality_figures_expose_every_flaw(demo) -> None:
    flaws = {d.code: generate(d)[1] for d in DEMO_DATASETS}
    dan_cu = failed("dan_cu")
    assert dan_cu["accurate.pattern.so_dinh_danh"] == flaws["dan_cu"]["id_11_digits"] == 37
    assert dan_cu["accurate.type.ngay_sinh"] == flaws["dan_cu"]["date_30_02"] == 8
    assert dan_cu["clean.nfd.ho_ten"] == flaws["dan_cu"]["name_nfd"] == 25
    assert dan_cu["complete.required.ma_xa"] == flaws["dan_cu"]["commune_missing"] == 15
    assert "complete.coverage.ma_xa" not in dan_cu  # every commune is present
    # the shared population standard: fields conform; six rows carry a merged commune's code,
    # absent from the standard's code list (and so from the field's own, the same list)
    old_code = flaws["dan_cu"]["commune_old_code"]
    assert dan_cu["unified.code_list.ma_xa"] == dan_cu["accurate.code_list.ma_xa"] == old_code == 6
    assert not {rule for rule in dan_cu if rule.startswith("unified.field.")}
    assert failed("dat_dai") == {
        "accurate.min.dien_tich": 6,
        "accurate.values.loai_dat": 9,
        "clean.tcvn3.chu_su_dung": 20,
        "complete.required.ma_xa": 12,
    }
    # 14 re-registrations: 28 rows share a tax code with another row
    assert failed("doanh_nghiep")["clean.unique.ma_so_thue"] == 2 * 14
    assert failed("co_so_y_te") == {"clean.nfd.ten_co_so": 10, "complete.required.ma_xa": 4}
    assert failed("truong_hoc") == {"complete.coverage.ma_xa": 2}  # 2 of 9 communes absent
    assert failed("di_tich") == {"clean.tcvn3.ten_di_tich": 18, "clean.vni.ten_di_tich": 6}
    assert failed("htx_nong_nghiep") == {"live.frequency": 1}  # monthly, last loaded 15/03/2023
    assert failed("du_an_dau_tu_cong") == {"accurate.max.nam_khoi_cong": 5}
    assert failed("can_bo_cong_chuc") == {
        "accurate.pattern.so_dinh_danh": 9,
        "accurate.type.ngay_sinh": 4,
        "shared.publication": 1,  # kept out of the warehouse
        "unified.field.ma_xa": 1,  # the population standard's commune field is absent
    }
    assert failed("tai_nan_giao_thong") == {
        "accurate.type.ngay_xay_ra": 6,
        "complete.required.ma_xa": 20,
        "shared.publication": 1,  # loaded, not yet published
    }


def test_the_unified_dimension_is_measured_where_a_standard_is_declared(demo) -> None:
    # given the two databases that follow the population standard, and the others
    def unified(code: str) -> float | None:
        version = Dataset.objects.get(code=code).versions.get(status=VersionStatus.CURRENT)
        scores = {d.dimension: d.score for d in quality_by_dimension(version)}
        return None if scores.get("unified") is None else float(scores["unified"])

    # then the population database scores the mean of four conforming fields (100 each) and
    # its code-list rule (1994 of 2000 rows: 99.70)
    assert unified("dan_cu") == pytest.approx((4 * 100 + 100 * 1994 / 2000) / 5, abs=0.01)
    # the personnel database: three of the standard's four fields (no commune code)
    assert unified("can_bo_cong_chuc") == pytest.approx(75.0)
    # and a database without a standard has no unified figure
    assert unified("dat_dai") is None
