"""plan, fit, calibrate and backtest from Python: the CLI's outputs for the same inputs."""

import json

import pandas as pd
import pytest

import supportsim
from conftest import SOURCE_DIR, cli

WEEK = str(SOURCE_DIR / "tests/scenarios/good/three_regions_week.json")
SINGLE_QUEUE = str(SOURCE_DIR / "scenarios/single-queue.json")


def test_plan_equals_the_cli():
    result = supportsim.plan(WEEK, vary_headcount="tokyo-l1,sydney-l1",
                             targets="P1=0.5,P2=0.5,P3=0.5,P4=0.5", confidence="mean",
                             replications=2, jobs=2)
    expected = cli("plan", WEEK, "--vary-headcount", "tokyo-l1,sydney-l1", "--targets",
                   "P1=0.5,P2=0.5,P3=0.5,P4=0.5", "--confidence", "mean", "--replications", 2,
                   "--format", "json")
    assert result.json == json.loads(expected.stdout)
    assert result.json["plan"]["meets_targets"] is True
    assert result.scenario["extends"] == WEEK


def test_plan_names_a_pattern_that_matches_nothing():
    with pytest.raises(supportsim.InputError, match="EMEA-L9"):
        supportsim.plan(WEEK, vary_headcount="EMEA-L9")


def test_fit_equals_the_cli(tmp_path):
    export = tmp_path / "quarter.csv"
    cli("synth", "--days", 91, "--out", export)
    cli("fit", export, "--out", tmp_path / "fitted.json")
    fitted = supportsim.fit(export)
    assert fitted == json.loads((tmp_path / "fitted.json").read_text())
    assert fitted["extends"] == "default"
    assert fitted["demand"]["cases_per_month"] == pytest.approx(15000, rel=0.05)
    # The fitted document runs.
    assert supportsim.load(fitted).name == "default-fitted"


def write_call_centre(folder):
    """tests/cli/cli_test.cpp's small history: 240 calls over four hours, three agents."""
    rows = ["case_id,created_utc,channel,answered_utc,abandoned_utc,handle_minutes,agent,group"]

    def at(minute, second):
        return f"2027-02-01T{8 + minute // 60:02}:{minute % 60:02}:{second:02}Z"

    for i in range(240):
        if i % 7 == 3:
            rows.append(f"{i},{at(i, 0)},phone,,{at(i, 50)},,,")
        else:
            rows.append(f"{i},{at(i, 0)},phone,{at(i, (i % 5) * 10)},,{2.5 + (i % 6) * 0.5:g},"
                        f"a{i % 3},agents")
    (folder / "calls.csv").write_text("\n".join(rows) + "\n")
    (folder / "roster.csv").write_text(
        "agent,group,start_utc,end_utc\n"
        "a0,agents,2027-02-01T08:00:00Z,2027-02-01T12:30:00Z\n"
        "a1,agents,2027-02-01T08:00:00Z,2027-02-01T10:00:00Z\n"
        "a1,agents,2027-02-01T10:15:00Z,2027-02-01T12:30:00Z\n"
        "a2,agents,2027-02-01T09:00:00Z,2027-02-01T12:30:00Z\n")


def test_calibrate_then_backtest_equal_the_cli(tmp_path):
    write_call_centre(tmp_path)
    calls, roster = str(tmp_path / "calls.csv"), str(tmp_path / "roster.csv")
    document, report = supportsim.calibrate(calls, SINGLE_QUEUE)
    cli("calibrate", calls, "--scenario", SINGLE_QUEUE, "--out", tmp_path / "ours.json",
        "--report", tmp_path / "report.json")
    assert document == json.loads((tmp_path / "ours.json").read_text())
    assert report == json.loads((tmp_path / "report.json").read_text())

    ours = str(tmp_path / "ours.json")
    result = supportsim.backtest(calls, ours, staffing=roster, replications=5, interval=30,
                                 sl_seconds=(20, 60))
    cli("backtest", calls, "--staffing", roster, "--scenario", ours, "--replications", 5,
        "--interval", 30, "--sl-seconds", "20,60", "--out", tmp_path / "bt")
    assert result.json == json.loads((tmp_path / "bt/backtest.json").read_text())
    pd.testing.assert_frame_equal(
        result.intervals, supportsim._frame((tmp_path / "bt/backtest.csv").read_text()))
    assert isinstance(result.intervals["interval_start_utc"].dtype, pd.DatetimeTZDtype)
    assert result.json["backtest"]["cases"] == 240


def test_backtest_needs_one_staffing(tmp_path):
    write_call_centre(tmp_path)
    with pytest.raises(supportsim.InputError, match="staffing"):
        supportsim.backtest(tmp_path / "calls.csv", SINGLE_QUEUE)
