// supportsim._core: the analysis layer as Python sees it. Each function here does what the CLI
// command of the same name does (cli/commands/*.cpp), calling the same analysis functions, and
// hands back the same renderings (CSV, JSON, table, HTML) as text; supportsim/__init__.py turns
// them into pandas DataFrames and dicts. No figure is computed here, so Python and the CLI
// cannot disagree. Documents cross the boundary as JSON text.
#include "analysis/backtest/backtest.hpp"
#include "analysis/backtest/history.hpp"
#include "analysis/backtest/render.hpp"
#include "analysis/calibrate/calibration.hpp"
#include "analysis/fit/fit.hpp"
#include "analysis/forecast/capacity.hpp"
#include "analysis/plan/plan.hpp"
#include "analysis/report/html_report.hpp"
#include "analysis/report/report.hpp"
#include "analysis/run/experiment.hpp"
#include "analysis/sweep/sweep.hpp"
#include "analysis/variance/variance.hpp"
#include "python/interrupt.hpp"
#include "scenarios/arrivals.hpp"
#include "scenarios/document.hpp"
#include "scenarios/override.hpp"
#include "scenarios/staffing.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <string>
#include <vector>

namespace py = pybind11;

namespace supportsim::python {

namespace {

constexpr const char *version = SUPPORTSIM_VERSION;

/// A scenario as load() made it: the resolved document (extends laid in, overrides set), where
/// it came from, and the validated Scenario. Sweeps start from the document, runs from the
/// Scenario.
struct LoadedScenario {
  nlohmann::json document;
  std::string source;
  std::string path; ///< the file, "" for the embedded default or a dict (fit's "extends")
  scenarios::Scenario scenario;
};

/// The document of a dict given as JSON text: its "extends" resolved as the loader resolves a
/// file's, relative to the working directory ("default" is the embedded scenario).
nlohmann::json dict_document(const std::string &text, const std::string &source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception &e) {
    throw scenarios::ScenarioError(source, "", e.what());
  }
  if (!doc.is_object() || !doc.contains("extends")) return doc;
  const nlohmann::json base_name = doc["extends"];
  if (!base_name.is_string() || base_name.get<std::string>().empty())
    throw scenarios::ScenarioError(source, "/extends",
                                   "expected the name of a scenario file, or \"default\"");
  doc.erase("extends");
  const std::string name = base_name.get<std::string>();
  nlohmann::json base = scenarios::load_scenario_document(name == "default" ? "" : name);
  scenarios::merge_scenario_documents(base, doc);
  return base;
}

/// load(): a file (or "default"), or a dict as JSON text; then the overrides "PATH=VALUE" set
/// as a one-point `sweep --vary` sets them (the same paths, group sets and messages).
LoadedScenario load(const std::optional<std::string> &path,
                    const std::optional<std::string> &document_text,
                    const std::vector<std::string> &overrides) {
  LoadedScenario s;
  if (document_text) {
    s.source = "(dict)";
    s.document = dict_document(*document_text, s.source);
  } else {
    s.path = path && *path != "default" ? *path : "";
    s.source = scenarios::scenario_source_name(s.path);
    s.document = scenarios::load_scenario_document(s.path);
  }
  // A sweep refuses to vary the seed and replications (its options share them); a scenario
  // loaded here is run alone, so those two are set in the document as they are.
  std::vector<std::string> varied;
  for (const std::string &o : overrides) {
    const std::string key = o.substr(0, o.find('='));
    if (key == "seed" || key == "replications" || key == "/seed" || key == "/replications")
      s.document[key.back() == 'd' ? "seed" : "replications"] =
          nlohmann::json::parse(o.substr(key.size() + 1));
    else
      varied.push_back(o);
  }
  if (!varied.empty()) {
    const scenarios::SweepPlan plan = scenarios::plan_sweep(s.source, s.document, varied);
    s.document = scenarios::option_document(plan, 1);
  }
  s.scenario = scenarios::parse_scenario_document(s.document, s.source);
  return s;
}

/// A run and its forecasts and verdicts, as `supportsim run` reports them.
struct RunResult {
  explicit RunResult(analysis::ExperimentResult run) : summary(std::move(run)) {}
  analysis::Summary summary;
};

/// The replay of `run --arrivals`: the export read through once first, so that a bad row is an
/// error before anything runs; then each replication reads it again.
std::function<std::unique_ptr<models::CaseReplay>()>
replay_from(const std::string &path, const std::string &format, const scenarios::Scenario &s) {
  const auto preset = scenarios::arrivals_format_named(format);
  if (!preset)
    throw scenarios::InputError(fmt::format(
        "arrivals_format: expected native, salesforce, zendesk or acd, found \"{}\"", format));
  const scenarios::ArrivalsMapping mapping = scenarios::arrivals_preset(*preset);
  scenarios::ArrivalsReader check(path, s.organisation, mapping, {});
  models::ReplayedCase row;
  while (check.next(row)) {
  }
  const models::OrganisationConfig &organisation = s.organisation;
  return [path, &organisation, mapping]() -> std::unique_ptr<models::CaseReplay> {
    return std::make_unique<scenarios::ArrivalsReader>(path, organisation, mapping,
                                                       scenarios::ArrivalsOptions{});
  };
}

std::unique_ptr<RunResult> run(const LoadedScenario &s, std::optional<std::uint32_t> replications,
                               std::optional<std::uint64_t> seed, unsigned jobs,
                               const std::optional<std::string> &arrivals,
                               const std::string &arrivals_format, std::vector<int> sl_seconds,
                               int interval) {
  if (interval != 15 && interval != 30 && interval != 60)
    throw scenarios::InputError(
        fmt::format("interval: expected 15, 30 or 60 minutes, found {}", interval));
  analysis::RunOptions options;
  options.interval_minutes = interval;
  options.seed = seed;
  options.replications = replications;
  options.jobs = jobs;
  if (!sl_seconds.empty()) options.sl_seconds = std::move(sl_seconds);
  if (arrivals) options.replay = replay_from(*arrivals, arrivals_format, s.scenario);
  return interruptible([&](const std::atomic<bool> *cancel) {
    options.cancel = cancel;
    return std::make_unique<RunResult>(analysis::run_experiment(s.scenario, options));
  });
}

/// A whole sweep and what `supportsim sweep` reports of it.
struct SweepResult {
  analysis::SweepResult result;
  analysis::SweepSummary summary;
};

/// The options of an options file's "options" array, from JSON text.
std::vector<scenarios::ScenarioOption> listed_options(const std::string &text) {
  const nlohmann::json list = nlohmann::json::parse(text);
  std::vector<scenarios::ScenarioOption> options;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json &o = list[i];
    const std::string at = fmt::format("/options/{}", i);
    if (!o.is_object() || !o.contains("name") || !o["name"].is_string())
      throw scenarios::ScenarioError("options", at + "/name", "expected the option's name");
    if (!o.contains("override") || !o["override"].is_object())
      throw scenarios::ScenarioError("options", at + "/override",
                                     "expected an object laid over the scenario");
    options.push_back({o["name"].get<std::string>(), o["override"], {}});
  }
  return options;
}

std::unique_ptr<SweepResult> sweep(const LoadedScenario &s, const std::vector<std::string> &vary,
                                   const std::optional<std::string> &options_text,
                                   const std::optional<std::string> &options_file,
                                   std::optional<std::uint32_t> replications,
                                   std::optional<std::uint64_t> seed, unsigned jobs) {
  std::vector<scenarios::ScenarioOption> listed;
  if (options_file) listed = scenarios::load_options_file(*options_file);
  if (options_text) listed = listed_options(*options_text);
  if (vary.empty() && listed.empty())
    throw scenarios::InputError("sweep needs vary=[\"PATH=SPEC\"] or options: the options to "
                                "compare");
  const scenarios::SweepPlan plan =
      scenarios::plan_sweep(s.source, s.document, vary, std::move(listed));
  analysis::SweepRunOptions options;
  options.seed = seed;
  options.replications = replications;
  options.jobs = jobs;
  options.version = version;
  return interruptible([&](const std::atomic<bool> *cancel) {
    options.cancel = cancel;
    auto out = std::make_unique<SweepResult>();
    out->result = analysis::run_sweep(plan, options);
    out->summary = analysis::summarise_sweep(out->result);
    return out;
  });
}

/// `supportsim forecast`: the weekly plan, the hourly one, or the required agents per local
/// interval (15, 30, 60) or day, as CSV and a table.
py::dict forecast(const LoadedScenario &s, const std::string &interval) {
  if (interval != "week" && interval != "hour" && interval != "15" && interval != "30" &&
      interval != "60" && interval != "day")
    throw scenarios::InputError(
        fmt::format("interval: expected week, hour, 15, 30, 60 or day, found \"{}\"", interval));
  py::dict out;
  if (interval == "week") {
    const analysis::CapacityForecast weeks = analysis::forecast_capacity(s.scenario);
    out["csv"] = analysis::render_forecast_csv(weeks, s.scenario);
    out["table"] = analysis::render_forecast_table(weeks, s.scenario);
  } else if (interval == "hour") {
    const auto hours = analysis::forecast_hours(s.scenario);
    out["csv"] = analysis::render_forecast_hours_csv(hours, s.scenario);
    out["table"] = analysis::render_staffing_table(hours, s.scenario);
  } else {
    const int minutes = interval == "day" ? 15 : std::stoi(interval);
    const auto cells = analysis::forecast_intervals(s.scenario, minutes);
    if (interval == "day") {
      const auto days = analysis::daily_requirements(cells);
      out["csv"] = analysis::render_requirement_daily_csv(days, s.scenario);
      out["table"] = analysis::render_requirement_daily_table(days, s.scenario);
    } else {
      out["csv"] = analysis::render_requirement_csv(cells, s.scenario);
      out["table"] = analysis::render_requirement_table(cells, s.scenario, minutes);
    }
  }
  return out;
}

/// `supportsim plan`: the JSON, the table, and the plan as a what-if (empty when none).
py::dict plan(const LoadedScenario &s, const std::vector<std::string> &groups,
              const std::string &targets, bool with_confidence, std::uint32_t max_evaluations,
              std::optional<std::uint32_t> replications, std::optional<std::uint64_t> seed,
              unsigned jobs) {
  analysis::PlanOptions options;
  options.groups = analysis::match_groups(s.scenario.organisation, groups);
  options.targets = analysis::parse_targets(targets, s.scenario);
  options.with_confidence = with_confidence;
  options.seed = seed.value_or(s.scenario.seed);
  options.replications = replications.value_or(s.scenario.replications);
  options.jobs = jobs;
  options.max_evaluations = max_evaluations;
  if (options.replications < 2 && with_confidence)
    throw scenarios::InputError("plan with confidence=\"ci\" needs at least 2 replications");
  const analysis::PlanResult result = interruptible([&](const std::atomic<bool> *cancel) {
    options.cancel = cancel;
    return analysis::plan_headcount(s.scenario, options);
  });
  py::dict out;
  out["json"] = analysis::render_plan_json(result, s.scenario, version);
  out["table"] = analysis::render_plan_table(result, s.scenario);
  out["scenario"] = analysis::render_plan_scenario(result, s.scenario);
  return out;
}

/// What a fitted or calibrated scenario extends: the base's file as an absolute path (so it
/// holds wherever the new file is saved), or "default". A base loaded from a dict has no file.
std::string extends_of(const LoadedScenario &base) {
  if (base.source == "(dict)")
    throw scenarios::InputError("a scenario loaded from a dict cannot be extended by a fitted "
                                "or calibrated one: load the base from a file or \"default\"");
  return base.path.empty() ? "default"
                           : std::filesystem::absolute(base.path).lexically_normal().string();
}

/// `supportsim fit`: the fitted scenario's text, and what was read.
py::dict fit(const std::string &path, const LoadedScenario &base, const std::string &name,
             const std::string &format) {
  const auto preset = scenarios::arrivals_format_named(format);
  if (!preset)
    throw scenarios::InputError(fmt::format(
        "arrivals_format: expected native, salesforce, zendesk or acd, found \"{}\"", format));
  scenarios::ArrivalsReader reader(path, base.scenario.organisation,
                                   scenarios::arrivals_preset(*preset), {});
  analysis::FitReport report;
  std::string text;
  try {
    text = analysis::fit_demand(reader, base.scenario.organisation, extends_of(base),
                                name.empty() ? base.scenario.name + "-fitted" : name, report);
  } catch (const std::invalid_argument &e) { // no cases, or out of order: the export's fault
    throw scenarios::ArrivalsError(path, 0, e.what());
  }
  py::dict out;
  out["scenario"] = text;
  out["cases"] = report.cases;
  out["days"] = report.days;
  out["full_months"] = report.full_months;
  return out;
}

/// The channel of rows that give none, by name.
models::Channel channel_named(const std::string &name) {
  for (std::size_t c = 0; c < models::channel_count; ++c)
    if (models::channel_names[c] == name) return static_cast<models::Channel>(c);
  throw scenarios::InputError(
      fmt::format("channel: expected phone, chat or email, found \"{}\"", name));
}

analysis::backtest::HistoryReadOptions history_reading(const std::string &channel) {
  analysis::backtest::HistoryReadOptions reading;
  reading.mapping = scenarios::arrivals_preset(scenarios::ArrivalsFormat::native);
  reading.default_channel = channel_named(channel);
  return reading;
}

/// `supportsim calibrate`: the calibrated scenario's text, the report (JSON and table) and the
/// warnings.
py::dict calibrate(const std::string &history, const LoadedScenario &base, const std::string &name,
                   bool empirical, const std::string &channel) {
  std::vector<std::string> warnings;
  const auto cases = analysis::backtest::read_calibration_cases(history, base.scenario.organisation,
                                                                history_reading(channel), warnings);
  if (cases.empty()) throw scenarios::ArrivalsError(history, 0, "no case to calibrate from");
  analysis::CalibrationOptions options;
  options.handle.empirical = empirical;
  const analysis::Calibration calibration = analysis::calibrate(cases, options);
  py::dict out;
  out["scenario"] = analysis::calibrated_scenario(
      calibration, extends_of(base), name.empty() ? base.scenario.name + "-calibrated" : name,
      scenarios::load_scenario_document(base.path));
  out["json"] = analysis::calibration_json(calibration);
  out["table"] = analysis::calibration_table(calibration);
  out["warnings"] = warnings;
  return out;
}

/// `supportsim backtest`: the CSV, JSON, table and HTML, and the reading's warnings.
py::dict backtest(const std::string &history, const LoadedScenario &s,
                  const std::optional<std::string> &staffing, bool infer_staffing,
                  const std::string &service, int interval, std::vector<int> sl_seconds,
                  std::uint32_t replications, std::optional<std::uint64_t> seed, unsigned jobs,
                  const std::string &channel) {
  if (staffing.has_value() == infer_staffing)
    throw scenarios::InputError("backtest needs either staffing=FILE or infer_staffing=True");
  if (service != "actual" && service != "fitted")
    throw scenarios::InputError(
        fmt::format("service: expected actual or fitted, found \"{}\"", service));
  if (interval != 15 && interval != 30 && interval != 60)
    throw scenarios::InputError(
        fmt::format("interval: expected 15, 30 or 60 minutes, found {}", interval));
  scenarios::Scenario scenario = s.scenario;
  analysis::backtest::HistoryReadOptions reading = history_reading(channel);
  reading.keep_records = infer_staffing;
  analysis::backtest::HistoryReading read =
      analysis::backtest::read_history(history, scenario.organisation, reading);
  if (read.history.cases.empty()) throw scenarios::ArrivalsError(history, 0, "no case to backtest");

  analysis::backtest::BacktestOptions options;
  options.interval_minutes = interval;
  options.figures.sl_seconds = std::move(sl_seconds);
  options.replications = replications;
  options.seed = seed.value_or(scenario.seed);
  options.jobs = jobs;
  analysis::backtest::BacktestSources sources{history, "", scenario.source};
  if (staffing) {
    sources.staffing = *staffing;
    scenarios::StaffingOptions staffing_options;
    staffing_options.time_zone = reading.arrivals.time_zone;
    scenario.organisation.staffing =
        scenarios::load_staffing(*staffing, scenario.organisation, staffing_options);
  } else {
    scenarios::StaffingInferenceOptions inference;
    inference.source = read.history.source;
    sources.staffing = fmt::format("inferred from the history (sessions split at idle gaps "
                                   "over {} min)",
                                   inference.session_gap.count());
    scenario.organisation.staffing =
        scenarios::infer_staffing(read.records, scenario.organisation, inference);
  }
  scenario.organisation.actual_service = service == "actual";
  std::vector<sim::UtcTime> arrivals;
  for (const auto &c : read.history.outcomes)
    arrivals.push_back(c.queued);
  const std::string uncovered =
      scenarios::uncovered_warning(scenarios::uncovered(scenario.organisation.staffing, arrivals,
                                                        std::chrono::minutes(interval)),
                                   std::chrono::minutes(interval));
  if (!uncovered.empty()) read.warnings.push_back(uncovered);

  analysis::backtest::BacktestResult result = interruptible([&](const std::atomic<bool> *cancel) {
    options.cancel = cancel;
    return analysis::backtest::run_backtest(scenario, read.history, options);
  });
  if (infer_staffing)
    result.notes.push_back("staffing was inferred from the history's handled cases: idle and "
                           "not-ready time are not seen, so occupancy reads high and capacity low");
  py::dict out;
  out["csv"] = analysis::backtest::render_backtest_csv(result);
  out["json"] = analysis::backtest::render_backtest_json(result, sources, version);
  out["table"] = analysis::backtest::render_backtest_table(result, sources);
  out["html"] = analysis::backtest::render_backtest_html(result, sources, version);
  out["warnings"] = read.warnings;
  return out;
}

/// Every input error becomes supportsim.InputError with the message the CLI prints, and its
/// file, JSON pointer and line as attributes (None where they do not apply); a cancelled run
/// becomes KeyboardInterrupt (normally the interrupt's own exception is already on its way).
void register_errors(py::module_ &m) {
  static py::exception<scenarios::InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    auto raise = [](const char *message, py::object file, py::object pointer, py::object line,
                    py::object problem) {
      py::object error = py::handle(input_error.ptr())(message);
      error.attr("file") = std::move(file);
      error.attr("pointer") = std::move(pointer);
      error.attr("line") = std::move(line);
      error.attr("problem") = std::move(problem);
      PyErr_SetObject(input_error.ptr(), error.ptr());
    };
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scenarios::ScenarioError &e) {
      raise(e.what(), py::str(e.file()), py::str(e.pointer()), py::none(), py::str(e.problem()));
    } catch (const scenarios::FileLineError &e) {
      raise(e.what(), py::str(e.file()), py::none(),
            e.line() ? py::object(py::int_(e.line())) : py::none(), py::str(e.problem()));
    } catch (const scenarios::InputError &e) {
      raise(e.what(), py::none(), py::none(), py::none(), py::str(e.what()));
    } catch (const analysis::Cancelled &) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
}

} // namespace

} // namespace supportsim::python

PYBIND11_MODULE(_core, m) {
  using namespace supportsim;
  using namespace supportsim::python;
  m.doc() = "supportsim's engine; use the supportsim package, which wraps it in pandas.";
  m.attr("version") = version;
  register_errors(m);

  py::class_<LoadedScenario>(m, "Scenario")
      .def_property_readonly("name", [](const LoadedScenario &s) { return s.scenario.name; })
      .def_property_readonly("description",
                             [](const LoadedScenario &s) { return s.scenario.description; })
      .def_property_readonly("source", [](const LoadedScenario &s) { return s.source; })
      .def_property_readonly("seed", [](const LoadedScenario &s) { return s.scenario.seed; })
      .def_property_readonly("replications",
                             [](const LoadedScenario &s) { return s.scenario.replications; })
      .def_property_readonly("warnings",
                             [](const LoadedScenario &s) { return s.scenario.warnings; })
      .def("document_json", [](const LoadedScenario &s) { return s.document.dump(); })
      .def("dump", [](const LoadedScenario &s) { return scenarios::dump_scenario(s.scenario); });
  m.def("load", &load, py::arg("path"), py::arg("document"), py::arg("overrides"));

  py::class_<RunResult>(m, "RunResult")
      .def("json", [](const RunResult &r) { return analysis::render_json(r.summary, version); })
      .def(
          "table",
          [](const RunResult &r, bool colour) {
            return analysis::render_table(r.summary, version, colour);
          },
          py::arg("colour") = false)
      .def("summary_csv",
           [](const RunResult &r) { return analysis::render_summary_csv(r.summary.run); })
      .def("replications_csv",
           [](const RunResult &r) { return analysis::render_replications_csv(r.summary.run); })
      .def("demand_csv", [](const RunResult &r) { return analysis::render_demand_csv(r.summary); })
      .def("agents_csv",
           [](const RunResult &r) { return analysis::render_agents_csv(r.summary.run); })
      .def("regions_csv",
           [](const RunResult &r) { return analysis::render_regions_csv(r.summary.run); })
      .def("grain_csv",
           [](const RunResult &r, const std::string &grain) {
             return analysis::render_grain_csv(r.summary.run,
                                               grain == "interval" ? analysis::Grain::interval
                                               : grain == "day"    ? analysis::Grain::day
                                                                   : analysis::Grain::week);
           })
      .def("callcentre_csv",
           [](const RunResult &r) { return analysis::render_callcentre_csv(r.summary.run); })
      .def("variance_csv",
           [](const RunResult &r) {
             return analysis::render_variance_csv(r.summary.variance, r.summary.run);
           })
      .def("html",
           [](const RunResult &r) { return analysis::render_html_report(r.summary, version); });
  m.def("run", &run, py::arg("scenario"), py::arg("replications"), py::arg("seed"), py::arg("jobs"),
        py::arg("arrivals"), py::arg("arrivals_format"), py::arg("sl_seconds"),
        py::arg("interval"));

  py::class_<SweepResult>(m, "SweepResult")
      .def("csv", [](const SweepResult &r) { return analysis::render_sweep_csv(r.summary); })
      .def("json",
           [](const SweepResult &r) { return analysis::render_sweep_json(r.summary, version); })
      .def("table",
           [](const SweepResult &r) { return analysis::render_sweep_table(r.summary, version); })
      .def("html",
           [](const SweepResult &r) { return analysis::render_sweep_html(r.summary, version); });
  m.def("sweep", &sweep, py::arg("scenario"), py::arg("vary"), py::arg("options"),
        py::arg("options_file"), py::arg("replications"), py::arg("seed"), py::arg("jobs"));

  m.def("forecast", &forecast, py::arg("scenario"), py::arg("interval"));
  m.def("plan", &plan, py::arg("scenario"), py::arg("groups"), py::arg("targets"),
        py::arg("with_confidence"), py::arg("max_evaluations"), py::arg("replications"),
        py::arg("seed"), py::arg("jobs"));
  m.def("fit", &fit, py::arg("path"), py::arg("scenario"), py::arg("name"),
        py::arg("arrivals_format"));
  m.def("calibrate", &calibrate, py::arg("history"), py::arg("scenario"), py::arg("name"),
        py::arg("empirical"), py::arg("channel"));
  m.def("backtest", &backtest, py::arg("history"), py::arg("scenario"), py::arg("staffing"),
        py::arg("infer_staffing"), py::arg("service"), py::arg("interval"), py::arg("sl_seconds"),
        py::arg("replications"), py::arg("seed"), py::arg("jobs"), py::arg("channel"));
}
