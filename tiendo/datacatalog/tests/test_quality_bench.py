"""The 10M-row benchmark at a tiny scale: its generator, engine run and hand-written SQL agree
on every figure (so a change to the engine that breaks a figure fails here, not at 10M rows)."""

from __future__ import annotations

from pathlib import Path

from bench import bench_quality


def test_the_benchmark_figures_agree_at_a_small_scale(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status = bench_quality.main(
        ["--rows", "20000", "--path", str(tmp_path / "q.parquet"), "--memory", "1GB"]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "figures: all equal" in out
    assert out.count(" OK ") == 7  # six dimensions, then all six at once


def test_the_near_name_case_agrees_at_a_small_scale(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status = bench_quality.main(
        ["--rows", "5000", "--path", str(tmp_path / "q.parquet"), "--similarity", "0.92"]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "figures: all equal" in out
    assert " OK similar=" in out
