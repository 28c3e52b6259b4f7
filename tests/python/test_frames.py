"""DataFrames: tidy, the CSV files' columns, numbers as numbers, UTC times tz-aware."""

import pandas as pd
import pytest

import supportsim
from conftest import cli


@pytest.fixture(scope="module")
def result():
    return supportsim.run("default", replications=2, seed=1, jobs=2)


@pytest.fixture(scope="module")
def csv_headers(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    cli("run", "--replications", 2, "--seed", 1, "--out", out)
    return {f.stem: f.read_text().splitlines()[0].split(",") for f in out.glob("*.csv")}


def test_columns_are_the_csv_files(result, csv_headers):
    assert list(result.summary.columns) == csv_headers["summary"]
    assert list(result.agents.columns) == csv_headers["agents"]
    assert list(result.replications.columns) == csv_headers["replications"]
    assert list(result.variance.columns) == csv_headers["variance"]
    assert list(result.daily.columns) == csv_headers["daily"]
    assert list(result.weekly.columns) == csv_headers["weekly"]
    assert list(result.intervals().columns) == csv_headers["intervals_15m"]
    assert list(result.regions.columns) == csv_headers["regions"]
    assert list(result.callcentre.columns) == csv_headers["callcentre"]


def test_utc_times_are_tz_aware_and_numbers_numeric(result):
    daily = result.daily
    assert isinstance(daily["interval_start_utc"].dtype, pd.DatetimeTZDtype)
    assert str(daily["interval_start_utc"].dt.tz) == "UTC"
    assert daily["sla_attainment_mean"].dtype == "float64"
    # The 91 measured days of UTC span 92 local calendar days in each of the default's three
    # regions (the first and last partial); 8 rows each: all, 3 channels, 4 priorities.
    assert len(daily) == 3 * 92 * 8
    assert daily["interval_start_utc"].iloc[0] == pd.Timestamp("2027-01-11T00:00:00Z")
    assert daily["interval_start_local"].iloc[0] == pd.Timestamp("2027-01-10T18:00")
    assert result.replications["replication"].dtype == "int64"
    assert isinstance(result.demand["week_start_utc"].dtype, pd.DatetimeTZDtype)
    assert isinstance(result.callcentre["interval_start_utc"].dtype, pd.DatetimeTZDtype)


def test_grains(result):
    assert len(result.intervals("week")) == 3 * 13 * 8
    everything = result.intervals()
    assert len(everything) == 3 * 91 * 96 * 8  # no region of the default has a :30 offset
    whole = everything[(everything["channel"] == "all") & (everything["priority"] == "all")]
    # The intervals add up to the days, and the days to the weeks.
    daily = result.daily
    daily = daily[(daily["channel"] == "all") & (daily["priority"] == "all")]
    assert whole["offered_mean"].sum() == pytest.approx(daily["offered_mean"].sum(), rel=1e-12)
    with pytest.raises(ValueError, match="grain"):
        result.intervals("hour")
    with pytest.raises(ValueError, match="grain"):
        result.intervals("month")


def test_sl_by_day_with_pandas(result):
    # The walk-through's example: a region's daily SLA, a pivot of the tidy frame.
    daily = result.daily
    daily = daily[(daily["channel"] == "all") & (daily["priority"] == "all")]
    daily = daily.assign(date=daily["interval_start_local"].dt.date)
    pivot = daily.pivot(index="date", columns="region", values="sla_attainment_mean")
    assert list(pivot.columns) == ["AMER", "APJC", "EMEA"]
    pivot = pivot.dropna()  # local days differ a day at the ends
    assert len(pivot) >= 90
    assert ((pivot > 0) & (pivot <= 1)).all().all()


def test_frames_are_copies(result):
    frame = result.summary
    frame["offered_mean"] = 0
    assert (result.summary["offered_mean"] > 0).all()
