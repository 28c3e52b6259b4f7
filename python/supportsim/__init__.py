"""supportsim from Python: the simulator's commands as functions, their results as pandas.

    import supportsim
    result = supportsim.run(supportsim.load("default"), replications=10, seed=1)
    print(result.table())

Every figure comes from the compiled engine (supportsim._core), through the same analysis
functions and renderers as the CLI: a DataFrame here has the columns of the CSV file of the
same name that `supportsim run --out` writes, and `result.json` is the document
`supportsim run --format json` prints. docs/python.md is the walk-through and the reference.
"""

import io
import json
import math
import numbers
import os
import warnings

import pandas as pd

from . import _core
from ._core import InputError

__all__ = [
    "InputError",
    "Scenario",
    "Result",
    "SweepResult",
    "PlanResult",
    "BacktestResult",
    "load",
    "run",
    "forecast",
    "sweep",
    "plan",
    "fit",
    "calibrate",
    "backtest",
    "version",
]

version = _core.version


def _frame(csv_text):
    """A CSV rendering as a DataFrame: UTC columns (named *_utc) as tz-aware timestamps; local
    times (*_local) as naive timestamps, since one column holds several regions' zones."""
    frame = pd.read_csv(io.StringIO(csv_text), keep_default_na=True)
    for column in frame.columns:
        if column.endswith("_utc"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        elif column.endswith("_local"):
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _jobs(jobs):
    """None: one thread per core, as the CLI without --jobs."""
    if jobs is None:
        return 0
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or not 1 <= jobs <= 1024:
        raise ValueError(f"jobs: expected a whole number from 1 to 1024 or None, found {jobs!r}")
    return int(jobs)


def _whole(name, value, lo, hi):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise ValueError(f"{name}: expected a whole number from {lo} to {hi}, found {value!r}")
    return int(value)


def _override(path, value):
    """One override as `sweep --vary PATH=VALUE` spells it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(
            f"overrides: {path}: expected a number (overrides set numbers, as sweep's vary "
            f"does; to change anything else, load a dict with \"extends\"), found {value!r}"
        )
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    if "e" in text.lower():  # --vary reads plain decimals
        text = format(float(value), "f").rstrip("0")
    return f"{path}={text}"


class Scenario:
    """A validated scenario, as `supportsim run SCENARIO.json` would run it (see load())."""

    def __init__(self, loaded):
        self._loaded = loaded

    name = property(lambda self: self._loaded.name)
    description = property(lambda self: self._loaded.description)
    source = property(lambda self: self._loaded.source, doc="the file, or (embedded default)")
    seed = property(lambda self: self._loaded.seed, doc="the scenario's master seed")
    replications = property(lambda self: self._loaded.replications)
    warnings = property(lambda self: list(self._loaded.warnings))

    def to_dict(self):
        """The scenario document: extends resolved, overrides set (what was validated)."""
        return json.loads(self._loaded.document_json())

    def dump(self):
        """Every value explicit, defaults filled in: what `supportsim show` prints."""
        return self._loaded.dump()

    def __repr__(self):
        return f"<supportsim.Scenario {self.name!r} from {self.source}>"


def load(path_or_dict="default", overrides=None):
    """A scenario: a file path, "default" (the embedded scenario), or a dict (a scenario
    document; its "extends" is resolved from the working directory). `overrides` maps paths
    to numbers, set as `supportsim sweep --vary PATH=VALUE` sets them: a dot path
    ("agent_groups.austin-l1.headcount"), a JSON pointer ("/agent_groups/0/headcount") or a
    group set ("agent_groups.EMEA-L1.headcount", the total split in proportion). Raises
    InputError, with the CLI's message and .file and .pointer, for anything invalid.
    Warnings (allowed but probably not meant) are issued with warnings.warn."""
    overrides = [_override(p, v) for p, v in (overrides or {}).items()]
    if isinstance(path_or_dict, dict):
        loaded = _core.load(None, json.dumps(path_or_dict), overrides)
    elif isinstance(path_or_dict, (str, os.PathLike)):
        loaded = _core.load(os.fspath(path_or_dict), None, overrides)
    else:
        raise TypeError(f"load: expected a path or a dict, found {type(path_or_dict).__name__}")
    scenario = Scenario(loaded)
    for warning in scenario.warnings:
        warnings.warn(warning, stacklevel=2)
    return scenario


def _scenario(scenario):
    """A Scenario, or what load() takes."""
    return scenario if isinstance(scenario, Scenario) else load(scenario)


class _Rendered:
    """A result whose DataFrames are parsed once, on first use."""

    def __init__(self):
        self._frames = {}

    def _cached(self, name, csv):
        if name not in self._frames:
            self._frames[name] = _frame(csv())
        return self._frames[name].copy()


def _write(path, text):
    """Written whole or not at all: a temporary file beside it, renamed into place."""
    path = os.fspath(path)
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


class Result(_Rendered):
    """The result of run(): the figures of `supportsim run --out` as DataFrames."""

    def __init__(self, core):
        super().__init__()
        self._core = core
        self.json = json.loads(core.json())
        """The document `supportsim run --format json` prints (docs/metrics.md), as a dict."""

    @property
    def summary(self):
        """summary.csv: per region and priority (and "all"), each figure's mean and ci95."""
        return self._cached("summary", self._core.summary_csv)

    def intervals(self, grain="interval"):
        """One grain's tidy file: "interval" (intervals_15m.csv, or the run's interval length),
        "day" (daily.csv: local calendar days) or "week" (weekly.csv); per region, channel and
        priority (with "all" margins) and interval, each figure's mean and ci95."""
        if grain not in ("interval", "day", "week"):
            raise ValueError(f"grain: expected interval, day or week, found {grain!r}")
        return self._cached(f"grain_{grain}", lambda: self._core.grain_csv(grain))

    @property
    def daily(self):
        """daily.csv: intervals("day"), per region and local day."""
        return self.intervals("day")

    @property
    def weekly(self):
        """weekly.csv: intervals("week"), per region and week of the window."""
        return self.intervals("week")

    @property
    def regions(self):
        """regions.csv: per region (and "all"), agents, utilisation, hours and money."""
        return self._cached("regions", self._core.regions_csv)

    @property
    def agents(self):
        """agents.csv: per agent group, utilisation, paid and overtime hours, cost."""
        return self._cached("agents", self._core.agents_csv)

    @property
    def variance(self):
        """variance.csv: simulated against the forecast per region, week and figure."""
        return self._cached("variance", self._core.variance_csv)

    @property
    def replications(self):
        """replications.csv: every replication's own figures per region and priority."""
        return self._cached("replications", self._core.replications_csv)

    @property
    def demand(self):
        """demand.csv: cases against the forecast per region and week."""
        return self._cached("demand", self._core.demand_csv)

    @property
    def callcentre(self):
        """callcentre.csv: per region, channel and local interval, the call-centre figures."""
        return self._cached("callcentre", self._core.callcentre_csv)

    def table(self, colour=False):
        """The report `supportsim run` prints: SLA attainment against target per region and
        priority, waits, abandonment, utilisation."""
        return self._core.table(colour)

    def to_html(self, path):
        """Writes report.html (self-contained, as `run --out` writes it) to `path`."""
        _write(path, self._core.html())

    def __repr__(self):
        return (
            f"<supportsim.Result {self.json['scenario']['name']!r}: "
            f"{self.json['scenario']['replications']} replications, "
            f"seed {self.json['scenario']['seed']}>"
        )


def run(scenario="default", replications=None, seed=None, jobs=None, arrivals=None,
        arrivals_format="native", sl_seconds=None, interval=15):
    """Simulates `scenario` (a Scenario, or what load() takes) as `supportsim run` does.
    replications and seed default to the scenario's; jobs is the number of threads (None: one
    per core; the figures do not depend on it); arrivals a case export to replay instead of
    synthesising cases (docs/arrivals-format.md); sl_seconds the call-centre service-level
    thresholds (default 20 and 60); interval the length of the local intervals, 15, 30 or 60
    minutes. The GIL is released while it runs; Ctrl-C stops it between
    replications with KeyboardInterrupt and no result."""
    scenario = _scenario(scenario)
    core = _core.run(
        scenario._loaded,
        _whole("replications", replications, 1, 100000),
        _whole("seed", seed, 0, 2**63 - 1),
        _jobs(jobs),
        None if arrivals is None else os.fspath(arrivals),
        arrivals_format,
        [int(s) for s in (sl_seconds or [])],
        int(interval),
    )
    return Result(core)


def forecast(scenario="default", interval="week"):
    """The analytic capacity plan of `supportsim forecast`: per region and week ("week", the
    rows of forecast.csv), per region, local weekday and hour ("hour", forecast-hours.csv),
    the required agents per local interval (15, 30 or 60: forecast-intervals_<N>m.csv) or per
    local day ("day", forecast-daily.csv)."""
    rendered = _core.forecast(_scenario(scenario)._loaded, str(interval))
    frame = _frame(rendered["csv"])
    frame.attrs["table"] = rendered["table"]
    return frame


class SweepResult(_Rendered):
    """A sweep's options compared with the baseline (option 0), as `supportsim sweep`."""

    def __init__(self, core):
        super().__init__()
        self._core = core
        self.json = json.loads(core.json())
        """sweep.json (docs/sweep.md) as a dict: every option, its figures and differences."""

    @property
    def options(self):
        """sweep.csv: one row per option, its settings, figures (mean, ci95) and the paired
        differences from the baseline."""
        return self._cached("options", self._core.csv)

    def table(self):
        return self._core.table()

    def to_html(self, path):
        _write(path, self._core.html())


def sweep(scenario="default", vary=(), options=None, replications=None, seed=None, jobs=None):
    """Runs the baseline, the `options` and the grid of `vary` (["PATH=SPEC", ...] as
    `sweep --vary`) with common random numbers, as `supportsim sweep`. `options` is a list
    of {"name": ..., "override": {...}} or the path of an options file."""
    if isinstance(vary, str):
        vary = [vary]
    options_text = options_file = None
    if isinstance(options, (str, os.PathLike)):
        options_file = os.fspath(options)
    elif options is not None:
        options_text = json.dumps(list(options))
    core = _core.sweep(
        _scenario(scenario)._loaded,
        list(vary),
        options_text,
        options_file,
        _whole("replications", replications, 1, 100000),
        _whole("seed", seed, 0, 2**63 - 1),
        _jobs(jobs),
    )
    return SweepResult(core)


class PlanResult:
    """`supportsim plan`'s outcome: .json (plan.json as a dict), .table(), and .scenario, the
    plan as a what-if document (plan-scenario.json), None when no plan meets the targets."""

    def __init__(self, rendered):
        self.json = json.loads(rendered["json"])
        self._table = rendered["table"]
        self.scenario = json.loads(rendered["scenario"]) if rendered["scenario"] else None

    def table(self):
        return self._table


def plan(scenario="default", vary_headcount=(), targets="default", confidence="ci",
         max_evaluations=400, replications=None, seed=None, jobs=None):
    """The cheapest headcount of the groups matching `vary_headcount` (patterns, as
    `plan --vary-headcount`) that meets every target, as `supportsim plan`."""
    if isinstance(vary_headcount, str):
        vary_headcount = [vary_headcount]
    patterns = [p for text in vary_headcount for p in text.split(",") if p]
    if not patterns:
        raise InputError("plan needs vary_headcount: the agent groups it may change")
    if confidence not in ("ci", "mean"):
        raise InputError(f"confidence: expected ci or mean, found {confidence!r}")
    rendered = _core.plan(
        _scenario(scenario)._loaded,
        patterns,
        targets,
        confidence == "ci",
        _whole("max_evaluations", max_evaluations, 2, 1000000),
        _whole("replications", replications, 2 if confidence == "ci" else 1, 100000),
        _whole("seed", seed, 0, 2**63 - 1),
        _jobs(jobs),
    )
    return PlanResult(rendered)


def fit(export, scenario="default", name=None, arrivals_format="native"):
    """The demand of a case export estimated, as `supportsim fit`: returns the fitted scenario
    document (a dict extending `scenario`'s file, or "default"); load() runs it."""
    rendered = _core.fit(os.fspath(export), _scenario(scenario)._loaded, name or "",
                         arrivals_format)
    return json.loads(rendered["scenario"])


def calibrate(history, scenario="default", name=None, empirical=False, channel="phone"):
    """Handle time, patience, touches and reopens estimated from a history, as
    `supportsim calibrate`: returns (the calibrated scenario document, the report as a dict)."""
    rendered = _core.calibrate(os.fspath(history), _scenario(scenario)._loaded, name or "",
                               bool(empirical), channel)
    for warning in rendered["warnings"]:
        warnings.warn(warning, stacklevel=2)
    return json.loads(rendered["scenario"]), json.loads(rendered["json"])


class BacktestResult:
    """`supportsim backtest`'s outcome: .intervals (backtest.csv), .json (backtest.json as a
    dict), .table(), .to_html(path)."""

    def __init__(self, rendered):
        self.intervals = _frame(rendered["csv"])
        self.json = json.loads(rendered["json"])
        self._table = rendered["table"]
        self._html = rendered["html"]

    def table(self):
        return self._table

    def to_html(self, path):
        _write(path, self._html)


def backtest(history, scenario, staffing=None, infer_staffing=False, service="actual",
             interval=60, sl_seconds=(20,), replications=30, seed=None, jobs=None,
             channel="phone"):
    """A history replayed against the staffing that was on the floor, as `supportsim
    backtest`: `staffing` a roster or interval file, or infer_staffing=True."""
    rendered = _core.backtest(
        os.fspath(history),
        _scenario(scenario)._loaded,
        None if staffing is None else os.fspath(staffing),
        bool(infer_staffing),
        service,
        int(interval),
        [int(s) for s in sl_seconds],
        _whole("replications", replications, 1, 100000),
        _whole("seed", seed, 0, 2**63 - 1),
        _jobs(jobs),
        channel,
    )
    for warning in rendered["warnings"]:
        warnings.warn(warning, stacklevel=2)
    return BacktestResult(rendered)

# Errors raised from Python (not from the engine) name no file or place.
for _attribute in ("file", "pointer", "line", "problem"):
    setattr(InputError, _attribute, None)
del _attribute
