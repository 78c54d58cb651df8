"""The national-scale dataset, generated in Python from a seed, as rows ready for bulk loading.

Nothing here touches the database: ``Dataset`` yields plain tuples in the column order of
``COLUMNS`` (checked against the Django models by ``bench.loader`` before anything is written),
so that the same rows go through PostgreSQL ``COPY`` and SQLite ``executemany``.

Shape at scale 1.0 (about): 9,800 units (22 ministries with 10 departments each; 63 provinces,
each with a steering committee, 10 departments and 8-14 districts of 8-14 communes; Hà Nội is the
largest with 30 districts of 19 communes), 19,600 users (one leader and one officer per unit),
~1,000 programs, 1,000,000 tasks and ~10,000,000 progress updates.

The task facts (``latest_*``, ``started_on``, ``completed_on``) are computed from the generated
history by the app's own ``tiendo.programs.services.progress_facts``; ``tests/test_bench_smoke.py``
checks that the loaded rows agree with what ``_refresh_progress_facts`` writes. Import this module
after ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password

from tiendo.core.deadlines import DeadlineKind, period_end
from tiendo.core.fields import common_depth
from tiendo.programs.services import progress_facts as app_progress_facts

# The history ends before any plausible benchmark date: progress is never reported in the future.
HISTORY_END = dt.date(2026, 10, 31)
BASE_DAY = dt.date(2023, 1, 1)
ONE_MONTH = dt.timedelta(days=30)

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts_user": (
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
        "email", "is_staff", "is_active", "date_joined", "full_name", "position", "clearance",
        "language",
    ),
    "orgs_unit": (
        "id", "created_at", "updated_at", "code", "name", "short_name", "kind", "parent_id",
        "path", "depth", "head_id", "active_from", "closed_on", "merged_into_id",
    ),
    "accounts_membership": ("id", "created_at", "updated_at", "user_id", "unit_id", "role"),
    "programs_program": (
        "id", "created_at", "updated_at", "code", "name", "kind", "description", "owner_unit_id",
        "standing_office_id", "decision_number", "decision_date", "issuer", "start_year",
        "end_year", "vision_year", "classification", "version",
    ),
    "programs_taskgroup": (
        "id", "created_at", "updated_at", "program_id", "parent_id", "number", "name",
        "position", "path",
    ),
    "programs_task": (
        "id", "created_at", "updated_at", "program_id", "group_id", "number", "kind", "title",
        "description", "lead_unit_id", "lead_unit_path", "accountable_leader_id", "assignee_id",
        "start_date", "deadline_kind", "deadline", "original_deadline_kind", "original_deadline",
        "product", "product_quantity", "product_unit", "classification", "assigned_at",
        "assigned_by_id", "hold_state", "latest_percent", "latest_quantity",
        "latest_progress_on", "started_on", "completed_on", "created_by_id", "version",
    ),
    "programs_taskcoordination": (
        "id", "task_id", "unit_id", "unit_path", "lead_unit_path", "common_depth",
    ),
    "programs_progressupdate": (
        "id", "task_id", "as_of", "percent", "achieved_quantity", "narrative", "difficulties",
        "proposals", "unit_id", "reported_by_id", "created_at",
    ),
    "programs_deadlineextension": (
        "id", "task_id", "previous_kind", "previous_deadline", "new_kind", "new_deadline",
        "reason", "approved_by_id", "effective_on", "created_at",
    ),
    "programs_holdchange": (
        "id", "task_id", "state", "reason", "approved_by_id", "effective_on", "created_at",
    ),
}  # fmt: skip

PROVINCES = (
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang", "Bà Rịa - Vũng Tàu",
    "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương",
    "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)  # fmt: skip
MINISTRIES = (
    "Bộ Thông tin và Truyền thông", "Bộ Công an", "Bộ Quốc phòng", "Bộ Ngoại giao", "Bộ Nội vụ",
    "Bộ Tư pháp", "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính", "Bộ Công Thương",
    "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Giao thông vận tải", "Bộ Xây dựng",
    "Bộ Tài nguyên và Môi trường", "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Khoa học và Công nghệ", "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế", "Ủy ban Dân tộc", "Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ",
    "Văn phòng Chính phủ",
)  # fmt: skip
DEPARTMENTS = (
    "Sở Thông tin và Truyền thông", "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư",
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Sở Công Thương",
    "Sở Tài nguyên và Môi trường", "Văn phòng UBND",
)  # fmt: skip
GROUPS = (
    "Chính quyền số", "Kinh tế số", "Xã hội số", "Hạ tầng số", "An toàn thông tin mạng",
)  # fmt: skip
WORK = (
    "Triển khai dịch vụ công trực tuyến toàn trình", "Số hóa hồ sơ, kết quả giải quyết TTHC",
    "Xây dựng cơ sở dữ liệu chuyên ngành", "Kết nối, chia sẻ dữ liệu với CSDL quốc gia",
    "Nâng cấp hệ thống quản lý văn bản và điều hành", "Tập huấn kỹ năng số cho cán bộ",
    "Triển khai thanh toán không dùng tiền mặt", "Phát triển nền tảng Tổ công nghệ số cộng đồng",
    "Bảo đảm an toàn hệ thống thông tin theo cấp độ", "Xây dựng Trung tâm điều hành thông minh",
    "Phủ sóng băng rộng di động đến thôn, bản", "Triển khai ký số cho cán bộ, công chức",
)  # fmt: skip
PRODUCTS = (
    ("Dịch vụ công trực tuyến toàn trình", "dịch vụ"), ("Hồ sơ được số hóa", "hồ sơ"),
    ("Cơ sở dữ liệu đưa vào vận hành", "cơ sở dữ liệu"), ("Lượt cán bộ được tập huấn", "lượt"),
    ("Hệ thống thông tin được nâng cấp", "hệ thống"), ("Thôn, bản được phủ sóng", "thôn"),
)  # fmt: skip
NARRATIVES = (
    "Đang triển khai theo kế hoạch.", "Đã hoàn thành khảo sát, lập dự toán.",
    "Đã ký hợp đồng với nhà thầu.", "Đang chạy thử nghiệm.", "Đã đưa vào vận hành chính thức.",
    "Đã báo cáo UBND.",
)  # fmt: skip
DIFFICULTIES = "Chậm bố trí kinh phí; thiếu nhân lực chuyên trách."
# Deadline kinds and their share of tasks: officials write dates, months, quarters, years.
DEADLINE_KINDS = (
    (DeadlineKind.DATE, 0.35), (DeadlineKind.MONTH, 0.20), (DeadlineKind.QUARTER, 0.25),
    (DeadlineKind.YEAR, 0.15), (DeadlineKind.ONGOING, 0.05),
)  # fmt: skip


def d2s(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass
class UnitInfo:
    id: int
    path: str
    kind: str
    leader_id: int
    officer_id: int


@dataclass
class Viewers:
    """The three accounts the benchmarks sign in as (usernames are fixed)."""

    admin: str = "bench_admin"  # administrator: the nation
    province_leader: str = "bench_province_leader"  # committee leader of the largest province
    district_officer: str = "bench_district_officer"  # officer of a district in that province
    largest_province_unit_id: int = 0
    district_unit_id: int = 0


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Update(NamedTuple):
    id: int
    as_of: dt.date
    percent: int
    quantity: Decimal | None


class Facts(NamedTuple):
    latest_percent: int | None
    latest_quantity: Decimal | None
    latest_progress_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None


def progress_facts(updates: Sequence[Update]) -> Facts:
    """The task facts implied by its history, by the app's own rule (``services.progress_facts``)."""
    facts = app_progress_facts([(u.as_of, u.id, u.percent) for u in updates])
    latest = max(updates, default=None, key=lambda u: (u.as_of, u.id))
    return Facts(
        facts["latest_percent"],
        latest.quantity if latest else None,
        facts["latest_progress_on"],
        facts["started_on"],
        facts["completed_on"],
    )


def _pick(weighted: Sequence[tuple[str, float]], r: float) -> str:
    """The entry whose cumulative share first exceeds ``r`` (a uniform draw in [0, 1))."""
    for value, share in weighted:
        r -= share
        if r < 0:
            return value
    return weighted[-1][0]


class Dataset:
    """Deterministic rows for one scale and seed; ids start after ``first_ids`` per table."""

    def __init__(
        self, *, scale: float, first_ids: dict[str, int], seed: int = 20261122, aware: bool = True
    ) -> None:
        self.scale = scale
        # PostgreSQL takes aware datetimes; Django stores naive UTC text in SQLite.
        self.tz = dt.UTC if aware else None
        self._times: dict[tuple[int, int], dt.datetime] = {}
        self.rng = random.Random(seed)
        self.next_id = dict(first_ids)
        self.counts = Counts()
        self.viewers = Viewers()
        self.total_tasks = max(50, round(1_000_000 * scale))
        small = scale < 0.05  # tests and CI: a narrow tree so that the load takes seconds
        self.n_provinces = min(len(PROVINCES), max(2, round(63 * scale)))
        self.n_ministries = min(len(MINISTRIES), max(1, round(22 * scale)))
        self.tree_size = (3, 3) if small else (8, 14)
        self.hanoi_size = (4, 4) if small else (30, 19)
        self.units: list[UnitInfo] = []
        # Unit pools of the programs: national ones, and one per province.
        self.national_pool: list[UnitInfo] = []
        self.province_pools: list[tuple[UnitInfo, UnitInfo, UnitInfo, list[UnitInfo]]] = []

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _ts(self, day: dt.date, hour: int = 2) -> dt.datetime:
        key = (day.toordinal(), hour)
        if key not in self._times:
            self._times[key] = dt.datetime(day.year, day.month, day.day, hour, tzinfo=self.tz)
        return self._times[key]

    # Organisation ------------------------------------------------------------------------

    def users_units_memberships(
        self,
    ) -> tuple[list[tuple], list[tuple], list[tuple]]:  # type: ignore[type-arg]
        """Users, units (with ``path`` and ``depth`` as ``unit_create`` sets them) and roles."""
        users: list[tuple] = []  # type: ignore[type-arg]
        units: list[tuple] = []  # type: ignore[type-arg]
        members: list[tuple] = []  # type: ignore[type-arg]
        created = self._ts(BASE_DAY)
        # Nobody signs in as a generated account (benchmarks use force_login).
        unusable = make_password(None)

        def user(username: str, name: str, clearance: int = 0, position: str = "") -> int:
            uid = self._id("accounts_user")
            users.append(
                (
                    uid, unusable, None, False, username, "", "", "", False, True,
                    created, name, position, clearance, "",
                )
            )  # fmt: skip
            return uid

        def member(user_id: int, unit_id: int, role: str) -> None:
            mid = self._id("accounts_membership")
            members.append((mid, created, created, user_id, unit_id, role))

        def unit(name: str, kind: str, parent: UnitInfo | None) -> UnitInfo:
            uid = self._id("orgs_unit")
            path = f"{parent.path if parent else '/'}{uid}/"
            leader = user(f"bench-u{uid}-leader", f"Lãnh đạo {name}", 1, "Giám đốc")
            officer = user(f"bench-u{uid}-officer", f"Chuyên viên {name}", 0, "Chuyên viên")
            member(leader, uid, "unit_leader")
            member(officer, uid, "unit_officer")
            units.append(
                (
                    uid, created, created, f"bench-{uid}", name, name[:100], kind,
                    parent.id if parent else None, path, path.count("/") - 2, leader,
                    None, None, None,
                )
            )  # fmt: skip
            info = UnitInfo(uid, path, kind, leader, officer)
            self.units.append(info)
            return info

        rng = self.rng
        national = unit("Ủy ban Quốc gia về chuyển đổi số", "committee", None)
        self.national_committee = national
        for m, name in enumerate(MINISTRIES[: self.n_ministries]):
            ministry = unit(name, "ministry", None)
            if m == 0:
                self.ministry_ict = ministry
            self.national_pool.append(ministry)
            for d in range(10):
                self.national_pool.append(unit(f"Cục/Vụ {d + 1} - {name}", "department", ministry))
        for p, name in enumerate(PROVINCES[: self.n_provinces]):
            province = unit(f"UBND {name}", "province", None)
            committee = unit(f"Ban Chỉ đạo chuyển đổi số {name}", "committee", province)
            pool = [province]
            departments = [unit(f"{dep} {name}", "department", province) for dep in DEPARTMENTS]
            pool += departments
            n_districts, n_communes = self.hanoi_size if p == 0 else (0, 0)
            low, high = self.tree_size
            for d in range(n_districts or rng.randint(low, high)):
                district = unit(f"Huyện {d + 1} - {name}", "district", province)
                pool.append(district)
                if p == 0 and d == 0:
                    self.viewers.district_unit_id = district.id
                for c in range(n_communes or rng.randint(low, high)):
                    pool.append(unit(f"Xã {c + 1} - Huyện {d + 1} - {name}", "commune", district))
            if p == 0:
                self.viewers.largest_province_unit_id = province.id
            # The province and its ICT department also lead tasks of national programs.
            self.national_pool += [province, departments[0]]
            self.province_pools.append((province, committee, departments[0], pool))

        admin = user(self.viewers.admin, "Quản trị hệ thống", 2, "Quản trị viên")
        member(admin, national.id, "administrator")
        leader = user(self.viewers.province_leader, "Trưởng ban chỉ đạo Hà Nội", 1, "Chủ tịch")
        member(leader, self.viewers.largest_province_unit_id, "committee_leader")
        officer = user(self.viewers.district_officer, "Chuyên viên huyện", 0, "Chuyên viên")
        member(officer, self.viewers.district_unit_id, "unit_officer")
        for table, rows in (
            ("accounts_user", users),
            ("orgs_unit", units),
            ("accounts_membership", members),
        ):
            self.counts.add(table, len(rows))
        return users, units, members

    # Programs and groups -----------------------------------------------------------------

    def programs_and_groups(self) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
        """Programs with (program id, standing office leader, unit pool, task share), groups."""
        rng = self.rng
        programs: list[tuple] = []  # type: ignore[type-arg]
        groups: list[tuple] = []  # type: ignore[type-arg]
        self.program_plan: list[tuple[int, int, int, list[UnitInfo], list[int], int]] = []
        weights: list[float] = []
        n_national = max(2, round(40 * self.scale))
        specs = [
            (self.national_committee, self.ministry_ict, self.national_pool, 0.15 / n_national)
            for _ in range(n_national)
        ]
        province_units = sum(len(pool) for *_, pool in self.province_pools)
        for _province, committee, ict, pool in self.province_pools:
            share = 0.85 * len(pool) / province_units / 15
            specs += [(committee, ict, pool, share) for _ in range(15)]
        for owner, office, pool, share in specs:
            pid = self._id("programs_program")
            start_year = rng.choice((2023, 2024, 2025))
            start = dt.date(start_year, 1, 1) + dt.timedelta(days=rng.randrange(180))
            created = self._ts(start)
            programs.append(
                (
                    pid, created, created, f"bench-p{pid}",
                    f"Kế hoạch chuyển đổi số số {pid} giai đoạn {start_year}-{start_year + 5}",
                    "plan", "", owner.id, office.id, f"{pid}/QĐ-UBND", d2s(start),
                    "Ủy ban nhân dân", start_year, start_year + 5, 2030,
                    1 if rng.random() < 0.03 else 0, 1,
                )
            )  # fmt: skip
            leaves: list[int] = []
            for g, name in enumerate(GROUPS):
                top = self._id("programs_taskgroup")
                number = ("I", "II", "III", "IV", "V")[g]
                groups.append((top, created, created, pid, None, number, name, g, f"/{top}/"))
                for s in range(3):
                    sub = self._id("programs_taskgroup")
                    groups.append(
                        (sub, created, created, pid, top, str(s + 1), f"{name} - nhóm {s + 1}", s,
                         f"/{top}/{sub}/")
                    )  # fmt: skip
                    leaves.append(sub)
            self.program_plan.append((pid, office.leader_id, start.toordinal(), pool, leaves, 0))
            weights.append(share)
        # Split the task total across programs by share, exactly.
        total = self.total_tasks
        raw = [w / sum(weights) * total for w in weights]
        sizes = [int(x) for x in raw]
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - sizes[i], reverse=True)[
            : total - sum(sizes)
        ]:
            sizes[i] += 1
        self.program_plan = [
            (*plan[:5], n) for plan, n in zip(self.program_plan, sizes, strict=True)
        ]
        self.counts.add("programs_program", len(programs))
        self.counts.add("programs_taskgroup", len(groups))
        return programs, groups

    # Tasks and their history -------------------------------------------------------------

    def _deadline(self, start: dt.date) -> tuple[str, dt.date | None]:
        kind = _pick(DEADLINE_KINDS, self.rng.random())
        year = start.year + self.rng.randrange(4)
        if kind == DeadlineKind.ONGOING:
            return kind, None
        if kind == DeadlineKind.DATE:
            due = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        elif kind == DeadlineKind.MONTH:
            due = period_end(kind, year, self.rng.randint(1, 12))
        elif kind == DeadlineKind.QUARTER:
            due = period_end(kind, year, self.rng.randint(1, 4))
        else:
            due = period_end(kind, year)
        if due <= start:  # a deadline is after the assignment
            due = period_end(DeadlineKind.YEAR, start.year + 1)
            kind = DeadlineKind.YEAR
        return kind, due

    def _history(self, start: dt.date, quantity: Decimal | None) -> list[Update]:
        """Monthly-ish reports: mostly rising, sometimes a correction after reaching 100 %."""
        rng = self.rng
        if rng.random() < 0.1:
            return []
        wanted = rng.randint(1, 25)
        day = start + dt.timedelta(days=rng.randint(5, 40))
        percent = 0 if rng.random() < 0.15 else rng.randint(1, 10)
        updates: list[Update] = []
        corrected = False
        while len(updates) < wanted and day <= HISTORY_END:
            achieved = None
            if quantity is not None:
                achieved = (quantity * percent / 100).quantize(Decimal("0.01"))
            updates.append(Update(self._id("programs_progressupdate"), day, percent, achieved))
            if percent == 100:
                if corrected or rng.random() > 0.05:
                    break
                corrected = True  # a later report corrects 100 % down, then completes again
                percent = rng.randint(85, 99)
            else:
                percent = min(100, percent + rng.randint(0, 12))
            day += dt.timedelta(days=rng.randint(7, 45))
        return updates

    def task_batches(self, batch_size: int = 20_000) -> Iterator[dict[str, list[tuple]]]:  # type: ignore[type-arg]
        """Rows of tasks and everything hanging off them, a batch of tasks at a time."""
        batch: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
        n_in_batch = 0
        for pid, office_leader, start_ordinal, pool, leaves, n_tasks in self.program_plan:
            for k in range(n_tasks):
                self._task(batch, pid, office_leader, start_ordinal, pool, leaves, k)
                n_in_batch += 1
                if n_in_batch >= batch_size:
                    yield batch
                    batch, n_in_batch = {}, 0
        if n_in_batch:
            yield batch

    def _task(
        self,
        batch: dict[str, list[tuple]],  # type: ignore[type-arg]
        pid: int,
        office_leader: int,
        start_ordinal: int,
        pool: list[UnitInfo],
        leaves: list[int],
        k: int,
    ) -> None:
        rng = self.rng
        tid = self._id("programs_task")
        lead = rng.choice(pool)
        group = rng.choice(leaves)
        assigned_day = dt.date.fromordinal(start_ordinal + rng.randrange(120))
        assigned_at = self._ts(assigned_day, 3)
        draft = rng.random() < 0.05
        kind, deadline = self._deadline(assigned_day)
        product, product_unit = rng.choice(PRODUCTS)
        quantity = Decimal(rng.randint(1, 200))
        assignee = lead.officer_id if not draft or rng.random() < 0.5 else None
        r = rng.random()
        task_kind = "task" if r < 0.9 else ("project" if r < 0.97 else "pilot")
        classification = 0 if rng.random() < 0.97 else 1
        title = f"{rng.choice(WORK)} ({tid})"
        version = 1
        original_kind, original = ("", None) if draft else (kind, deadline)
        updates: list[Update] = [] if draft else self._history(assigned_day, quantity)
        facts = progress_facts(updates)
        hold = ""
        if not draft and deadline is not None and rng.random() < 0.05:
            # Extended once: the original deadline was earlier and of kind "date".
            original_kind = DeadlineKind.DATE
            original = max(assigned_day + dt.timedelta(days=1), deadline - dt.timedelta(days=90))
            if original < deadline:
                version += 1
                # Decided before the original deadline, and never in the future.
                decided = min(
                    HISTORY_END, max(assigned_day + dt.timedelta(days=1), original - ONE_MONTH)
                )
                batch.setdefault("programs_deadlineextension", []).append(
                    (
                        self._id("programs_deadlineextension"), tid, original_kind, d2s(original),
                        kind, d2s(deadline), "Chờ bố trí kinh phí", office_leader, d2s(decided),
                        self._ts(decided, 4),
                    )
                )  # fmt: skip
            else:
                original_kind, original = kind, deadline
        if not draft and facts.completed_on is None and rng.random() < 0.03:
            hold = "paused" if rng.random() < 0.65 else "cancelled"
            effective = min(HISTORY_END, assigned_day + dt.timedelta(days=rng.randint(30, 400)))
            version += 1
            batch.setdefault("programs_holdchange", []).append(
                (
                    self._id("programs_holdchange"), tid, hold, "Điều chỉnh theo chỉ đạo",
                    office_leader, d2s(effective), self._ts(effective, 5),
                )
            )  # fmt: skip
        start_date = None if rng.random() < 0.3 else assigned_day
        batch.setdefault("programs_task", []).append(
            (
                tid, assigned_at, assigned_at, pid, group, f"{k + 1}", task_kind, title,
                "", lead.id, lead.path, lead.leader_id, assignee, d2s(start_date), kind,
                d2s(deadline), original_kind, d2s(original), product, quantity, product_unit,
                classification, None if draft else assigned_at,
                None if draft else office_leader, hold, facts.latest_percent,
                facts.latest_quantity, d2s(facts.latest_progress_on), d2s(facts.started_on),
                d2s(facts.completed_on), office_leader, version,
            )
        )  # fmt: skip
        if rng.random() < 0.2:
            partners = {rng.choice(pool).id: None for _ in range(rng.randint(1, 2))}
            by_id = {u.id: u for u in pool if u.id in partners and u.id != lead.id}
            for unit in by_id.values():
                batch.setdefault("programs_taskcoordination", []).append(
                    (
                        self._id("programs_taskcoordination"), tid, unit.id, unit.path,
                        lead.path, common_depth(unit.path, lead.path),
                    )
                )  # fmt: skip
        rows = batch.setdefault("programs_progressupdate", [])
        for u in updates:
            narrative = NARRATIVES[u.percent % len(NARRATIVES)]
            difficulties = DIFFICULTIES if u.percent % 10 == 3 else ""
            rows.append(
                (
                    u.id, tid, d2s(u.as_of), u.percent, u.quantity, narrative, difficulties, "",
                    lead.id, lead.officer_id, self._ts(u.as_of, 9),
                )
            )  # fmt: skip
