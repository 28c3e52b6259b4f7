"""Bad input raises supportsim.InputError with the CLI's message, file and JSON pointer."""

import pytest

import supportsim
from conftest import SOURCE_DIR, cli


def test_a_bad_file_raises_the_cli_s_message():
    path = str(SOURCE_DIR / "tests/scenarios/bad/headcount_negative.json")
    with pytest.raises(supportsim.InputError) as error:
        supportsim.load(path)
    done = cli("validate", path, check=False)
    assert done.returncode == 2
    assert f"supportsim: error: {error.value}" in done.stderr
    assert error.value.file == path
    assert error.value.pointer.startswith("/agent_groups/")
    assert error.value.pointer.endswith("/headcount")
    assert isinstance(error.value, ValueError)


def test_a_bad_dict_names_the_pointer():
    with pytest.raises(supportsim.InputError) as error:
        supportsim.load({"extends": "default",
                         "agent_groups": [{"name": "austin-l1", "headcount": -3}]})
    assert error.value.pointer == "/agent_groups/0/headcount"
    assert error.value.file == "(dict)"
    assert "headcount" in str(error.value)


def test_an_override_with_a_typo_says_what_was_meant():
    with pytest.raises(supportsim.InputError, match="did you mean agent_groups.austin-l1"):
        supportsim.load("default", overrides={"agent_groups.austin-l3.headcount": 5})


def test_an_override_that_is_not_a_number():
    with pytest.raises(supportsim.InputError, match="expected a number"):
        supportsim.load("default", overrides={"name": "x"})


def test_a_missing_file():
    with pytest.raises(supportsim.InputError) as error:
        supportsim.load("no/such/scenario.json")
    assert "no/such/scenario.json" in str(error.value)


def test_a_bad_sweep_spec():
    with pytest.raises(supportsim.InputError, match="--vary"):
        supportsim.sweep("default", vary=["agent_groups.austin-l1.headcount=30..20"])


def test_bad_arguments():
    with pytest.raises(ValueError, match="replications"):
        supportsim.run("default", replications=0)
    with pytest.raises(ValueError, match="jobs"):
        supportsim.run("default", jobs=-1)
