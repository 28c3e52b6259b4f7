"""The module's figures are the CLI's: same scenario, seed and replications, same JSON."""

import pandas as pd
import pytest

import supportsim
from conftest import SOURCE_DIR, cli, cli_json


def test_default_run_equals_the_cli_json_byte_for_byte():
    result = supportsim.run(supportsim.load("default"), replications=3, seed=1, jobs=2)
    expected = cli("run", "--replications", 3, "--seed", 1, "--jobs", 2, "--format", "json")
    # The very text the CLI prints, and the dict parsed from it.
    assert result._core.json() == expected.stdout
    assert result.json == cli_json("run", "--replications", 3, "--seed", 1)
    assert result.json["replications"] == 3
    assert result.json["all"]["utilisation"]["n"] == 3


def test_a_what_if_equals_the_cli_whatever_the_threads():
    path = str(SOURCE_DIR / "scenarios/emea-hiring-freeze.json")
    result = supportsim.run(path, replications=2, seed=7, jobs=1)
    assert result.json == cli_json("run", path, "--replications", 2, "--seed", 7, "--jobs", 2)
    assert result.json["scenario"]["name"] == "emea-hiring-freeze"
    assert result.json["seed"] == 7


def test_the_scenario_seed_and_replications_apply_when_not_given():
    scenario = supportsim.load("default", overrides={"replications": 2, "seed": 5})
    assert (scenario.seed, scenario.replications) == (5, 2)
    result = supportsim.run(scenario)
    assert (result.json["seed"], result.json["replications"]) == (5, 2)


def test_an_override_is_a_one_point_vary(tmp_path):
    overridden = supportsim.load("default", overrides={"agent_groups.austin-l1.headcount": 25})
    assert overridden.to_dict()["agent_groups"][0]["headcount"] == 25
    what_if = tmp_path / "bigger-austin.json"
    what_if.write_text('{"extends": "default", "agent_groups": [{"name": "austin-l1", '
                       '"headcount": 25}]}')
    result = supportsim.run(overridden, replications=2, seed=3)
    expected = cli_json("run", what_if, "--replications", 2, "--seed", 3)
    assert result.json["all"] == expected["all"]
    assert result.json["regions"] == expected["regions"]


def test_the_csv_frames_hold_the_csv_files_figures(tmp_path):
    result = supportsim.run("default", replications=2, seed=1)
    cli("run", "--replications", 2, "--seed", 1, "--out", tmp_path)
    for name, frame in [("summary", result.summary), ("agents", result.agents),
                        ("replications", result.replications), ("variance", result.variance),
                        ("demand", result.demand), ("regions", result.regions),
                        ("intervals_15m", result.intervals()), ("daily", result.daily),
                        ("weekly", result.weekly), ("callcentre", result.callcentre)]:
        expected = supportsim._frame((tmp_path / f"{name}.csv").read_text())
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)


def test_report_html_is_the_cli_s(tmp_path):
    result = supportsim.run("default", replications=2, seed=1)
    result.to_html(tmp_path / "mine.html")
    cli("run", "--replications", 2, "--seed", 1, "--out", tmp_path / "cli")
    assert (tmp_path / "mine.html").read_text() == (tmp_path / "cli/report.html").read_text()


def test_the_table_is_the_cli_s():
    result = supportsim.run("default", replications=2, seed=1)
    assert result.table() == cli("run", "--replications", 2, "--seed", 1).stdout
    assert "SLA" in result.table()


def test_forecast_is_the_cli_s(tmp_path):
    cli("forecast", "--out", tmp_path)
    weeks = supportsim.forecast("default")
    pd.testing.assert_frame_equal(weeks, supportsim._frame((tmp_path / "forecast.csv").read_text()))
    assert weeks.attrs["table"] == cli("forecast").stdout
    hours = supportsim.forecast("default", interval="hour")
    assert list(hours.columns) == (tmp_path / "forecast-hours.csv").read_text().splitlines()[0].split(",")
