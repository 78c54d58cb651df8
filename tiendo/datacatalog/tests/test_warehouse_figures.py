"""The catalogue's figures: the dashboard tile (each figure opens its exact list) and the three
"digital data" indicators of the index engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from tiendo.accounts.models import Role
from tiendo.indexing import automatic
from tiendo.programs.tests.factories import make_unit, make_user

from ..models import DatasetVersion, QualityDimension
from ..selectors_warehouse import FIGURES, catalogue_figure_list, catalogue_tile
from ..services import MeasureInput, quality_store
from ..services_warehouse import publication_create
from .catalog_factories import make_dataset, upload, write_csv

pytestmark = pytest.mark.django_db

CSV = "so_dinh_danh,ho_ten,ngay_sinh,so_nhan_khau\n001,An,1990-01-02,1\n002,Bình,1991-02-03,2\n"


def measured(version: DatasetVersion, accurate: tuple[int, int], complete: tuple[int, int]) -> None:
    quality_store(
        version=version,
        measures=[
            MeasureInput(QualityDimension.ACCURATE, "r1", checked=accurate[0], failed=accurate[1]),
            MeasureInput(QualityDimension.COMPLETE, "r2", checked=complete[0], failed=complete[1]),
        ],
    )


@pytest.fixture
def world(settings, tmp_path: Path):
    """A province's two departments: land (3 datasets) and health (1). In land: one live and
    published with quality 95; one monthly dataset last loaded 100 days ago, unpublished, quality
    50; one planned. In health: one live, published, unmeasured."""
    settings.TIENDO_WAREHOUSE_DIR = tmp_path / "warehouse"
    province = make_unit("Tỉnh")
    land = make_unit("Sở TN&MT", parent=province)
    health = make_unit("Sở Y tế", parent=province)
    leader = make_user(unit=province, role=Role.COMMITTEE_LEADER)
    land_officer = make_user(unit=land, role=Role.UNIT_OFFICER)
    health_officer = make_user(unit=health, role=Role.UNIT_OFFICER)

    parcels = make_dataset(
        actor=land_officer, owner=land, code="dat-dai", update_frequency="yearly"
    )
    v = upload(land_officer, parcels, write_csv(tmp_path / "a.csv", CSV))
    publication_create(actor=land_officer, dataset=parcels)
    measured(v, (100, 0), (100, 10))  # 100 and 90 -> weighted (0.25*100+0.2*90)/0.45 = 95.56

    old = make_dataset(actor=land_officer, owner=land, code="quy-hoach", update_frequency="monthly")
    v = upload(land_officer, old, write_csv(tmp_path / "b.csv", CSV))
    DatasetVersion.objects.filter(pk=v.pk).update(
        created_at=timezone.now() - dt.timedelta(days=100)
    )
    measured(v, (10, 5), (10, 5))  # 50 and 50 -> 50

    planned = make_dataset(actor=land_officer, owner=land, code="khoang-san")

    facilities = make_dataset(
        actor=health_officer, owner=health, code="y-te", update_frequency="ad_hoc"
    )
    upload(health_officer, facilities, write_csv(tmp_path / "c.csv", CSV))
    publication_create(actor=health_officer, dataset=facilities)
    return SimpleNamespace(**locals())


def codes(rows) -> list[str]:
    return sorted(f.dataset.code for f in rows)


def test_the_tile_counts_a_subtree(world) -> None:
    tile = catalogue_tile(world.leader, world.land)
    assert tile.counts == {
        "total": 3,
        "planned": 1,
        "built": 2,
        "not_live": 1,
        "unpublished": 1,
        "published": 1,
        "low_quality": 1,
        "measured": 2,
    }
    assert tile.average_quality == pytest.approx((95.5556 + 50) / 2, abs=0.01)
    assert codes(catalogue_figure_list(world.leader, world.land, "not_live")) == ["quy-hoach"]
    assert codes(catalogue_figure_list(world.leader, world.land, "planned")) == ["khoang-san"]


def test_every_figure_equals_the_length_of_its_list(world) -> None:
    for user, unit in [
        (world.leader, None),
        (world.leader, world.land),
        (world.health_officer, None),
    ]:
        tile = catalogue_tile(user, unit)
        for figure in FIGURES:
            assert tile.counts[figure] == len(catalogue_figure_list(user, unit, figure)), figure


def test_scope_an_officer_sees_only_their_departments_datasets(world) -> None:
    tile = catalogue_tile(world.health_officer, None)
    assert tile.counts["total"] == 1
    assert codes(catalogue_figure_list(world.health_officer, None, "total")) == ["y-te"]


def test_the_dashboard_shows_the_tile_and_each_figure_opens_its_list(world) -> None:
    client = Client()
    client.force_login(world.leader)
    page = client.get(f"/dashboards/units/{world.land.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="catalogue-tile"' in text
    link = f"/data/warehouse/figures/?unit={world.land.pk}&amp;figure=not_live"
    assert f'<a data-figure="not_live" href="{link}">1</a>' in text
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert "/data/quy-hoach/" in listing.content.decode()
    assert "/data/dat-dai/" not in listing.content.decode()


def test_the_figure_list_refuses_a_unit_outside_the_scope(world) -> None:
    client = Client()
    client.force_login(world.health_officer)
    answer = client.get(f"/data/warehouse/figures/?unit={world.land.pk}&figure=total")
    assert answer.status_code == 404
    assert client.get("/data/warehouse/figures/?figure=nope").status_code == 404


def test_dataset_by_id_redirects_within_the_scope(world) -> None:
    client = Client()
    client.force_login(world.health_officer)
    own = client.get(f"/data/warehouse/datasets/{world.facilities.pk}/")
    assert own.status_code == 302
    assert own["Location"] == "/data/y-te/"
    assert client.get(f"/data/warehouse/datasets/{world.parcels.pk}/").status_code == 404


def period(ends_on: dt.date) -> SimpleNamespace:
    return SimpleNamespace(starts_on=dt.date(ends_on.year, 1, 1), ends_on=ends_on)


def test_index_sources_are_registered_and_computed_per_unit(world) -> None:
    today = timezone.localdate()
    sources = {name: automatic.get_source(name) for name in (
        "catalogue_planned_built_share", "catalogue_average_quality", "catalogue_published_share"
    )}  # fmt: skip
    built = sources["catalogue_planned_built_share"].compute(world.land, period(today))
    assert built.value == pytest.approx(100 * 2 / 3, abs=1e-3)
    assert sorted(built.records) == sorted([world.parcels.pk, world.old.pk, world.planned.pk])
    quality = sources["catalogue_average_quality"].compute(world.land, period(today))
    assert quality.value == pytest.approx((95.5556 + 50) / 2, abs=0.01)
    published = sources["catalogue_published_share"].compute(world.province, period(today))
    assert published.value == pytest.approx(100 * 2 / 3, abs=1e-3)  # dat-dai, y-te of 3 built


def test_index_sources_as_of_a_past_period_end(world) -> None:
    # before anything was loaded, nothing was built, measured or published
    long_ago = period(timezone.localdate() - dt.timedelta(days=400))
    source = automatic.get_source("catalogue_planned_built_share")
    value = source.compute(world.land, long_ago)
    assert value.value is None  # the datasets were declared today: none existed then
    assert value.note
