"""A sweep from Python: the CLI's sweep.json, and paired comparisons with the baseline."""

import supportsim
from conftest import cli, cli_json

VARY = "agent_groups.austin-l1.headcount=16,24"


def test_sweep_equals_the_cli_and_pairs_with_the_baseline():
    result = supportsim.sweep("default", vary=[VARY], replications=3, seed=1, jobs=2)
    assert result.json == cli_json("sweep", "--vary", VARY, "--replications", 3, "--seed", 1)
    options = result.options
    assert list(options["name"]) == ["baseline", "austin-l1.headcount=16",
                                     "austin-l1.headcount=24"]
    assert list(options["agent_groups.austin-l1.headcount"]) == [20, 16, 24]
    base, fewer = options.iloc[0], options.iloc[1]
    # Paired: the mean difference is the difference of the means ...
    assert abs(fewer["delta_cost_mean"] - (fewer["cost_mean"] - base["cost_mean"])) < 1e-6
    # ... but, with common random numbers, known far more precisely than either mean.
    assert fewer["delta_cost_ci95"] < fewer["cost_ci95"] / 3
    assert fewer["delta_cost_verdict"] == "lower"
    assert fewer["delta_sla_attainment_mean"] < 0
    assert options.iloc[2]["delta_cost_verdict"] == "higher"
    assert result.table() == cli("sweep", "--vary", VARY, "--replications", 3, "--seed", 1).stdout


def test_listed_options():
    result = supportsim.sweep(
        "default",
        options=[{"name": "bigger-austin",
                  "override": {"agent_groups": [{"name": "austin-l1", "headcount": 30}]}}],
        replications=2, seed=1)
    assert list(result.options["name"]) == ["baseline", "bigger-austin"]
    assert result.json["options"][1]["versus_baseline"]["cost"]["verdict"] == "higher"
