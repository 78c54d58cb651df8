from tiendo.imports.matching import UnitMatcher, normalise
from tiendo.orgs.models import UnitKind
from tiendo.orgs.services import unit_create


def names(units):
    return sorted(u.name for u in units)


def test_names_match_without_accents_case_or_prefix(hp):
    # given the province's units / when agencies are written in different ways
    matcher = UnitMatcher(hp.program)
    # then each finds its unit
    for text in (
        "Sở Thông tin và Truyền thông",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "So Thong tin va Truyen thong",
        "Thông tin và Truyền thông",
        "Sở TT&TT",
        "Sở TTTT",
    ):
        assert matcher.match(text).units == [hp.ict], text


def test_unit_names_with_va_and_commas_are_not_split(hp):
    matcher = UnitMatcher(hp.program)
    assert matcher.match("Sở Kế hoạch và Đầu tư").units == [hp.planning]
    assert matcher.match("Sở Lao động, Thương binh và Xã hội").units == [hp.labour]


def test_a_list_of_agencies_is_split_on_separators(hp):
    result = UnitMatcher(hp.program).match("Sở Nội vụ; Sở Kế hoạch và Đầu tư, Văn phòng UBND tỉnh")
    assert result.units == [hp.home, hp.planning, hp.office]
    assert not result.unmatched


def test_plural_collectives_expand_to_the_units_of_that_kind(hp):
    # given "các sở, ban, ngành" and "UBND các huyện, thị xã, thành phố"
    matcher = UnitMatcher(hp.program)
    # when matched
    departments = matcher.match("Các sở, ban, ngành")
    districts = matcher.match("UBND các huyện, thị xã, thành phố")
    # then every department/agency, and every district, of the province
    assert names(departments.units) == names([hp.ict, hp.home, hp.planning, hp.labour, hp.office])
    assert names(districts.units) == names(hp.districts)
    assert departments.collectives == ["Các sở, ban, ngành"]


def test_vague_phrases_are_noted_not_asked_about(hp):
    result = UnitMatcher(hp.program).match("Sở Nội vụ, các cơ quan, đơn vị liên quan")
    assert result.units == [hp.home]
    assert result.vague == ["các cơ quan, đơn vị liên quan"]
    assert not result.unmatched


def test_unknown_and_ambiguous_names_are_reported_with_their_spelling(hp):
    result = UnitMatcher(hp.program).match(
        "Ngân hàng Nhà nước chi nhánh tỉnh; Trung tâm Công nghệ thông tin"
    )
    assert result.units == []
    assert result.unmatched == ["Ngân hàng Nhà nước chi nhánh tỉnh"]
    assert list(result.ambiguous) == ["Trung tâm Công nghệ thông tin"]
    assert len(result.ambiguous["Trung tâm Công nghệ thông tin"]) == 2


def test_the_users_answers_settle_names(hp):
    # given the user chose a unit for one name and "none" for another
    centre = hp.ict.children.get()
    matcher = UnitMatcher(
        hp.program,
        {"Trung tâm Công nghệ thông tin": [centre.pk], "Ngân hàng Nhà nước chi nhánh tỉnh": []},
    )
    # when matched / then the answers are used
    result = matcher.match("Trung tâm Công nghệ thông tin; Ngân hàng Nhà nước chi nhánh tỉnh")
    assert result.units == [centre]
    assert not result.unmatched
    assert not result.ambiguous


def test_units_of_another_province_and_closed_units_are_not_candidates(hp):
    other = unit_create(code="QN-SNV2", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=None)
    assert other.pk not in UnitMatcher(hp.program).units_by_id
    assert UnitMatcher(hp.program).match("Sở Tư pháp").unmatched == ["Sở Tư pháp"]


def test_normalise_spells_out_abbreviations():
    assert normalise("Ủy ban nhân dân huyện Cát Hải") == normalise("UBND huyện Cát Hải")
    assert normalise("Sở KH&ĐT") == "so ke hoach va dau tu"
