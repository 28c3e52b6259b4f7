// `supportsim plan`: the cheapest headcount of chosen agent groups that meets every SLA
// target, searched by simulation.
#include "analysis/plan/plan.hpp"

#include "analysis/output/output.hpp"
#include "cli/commands/commands.hpp"
#include "cli/progress_bar.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <fmt/format.h>
#include <iostream>

namespace supportsim::cli {

namespace {

constexpr std::array<std::string_view, 2> plan_formats{"table", "json"};
constexpr std::array<std::string_view, 2> confidences{"ci", "mean"};

constexpr std::string_view usage =
    "Usage: supportsim plan [SCENARIO.json] --vary-headcount PATTERNS [options]\n\n"
    "Searches for the cheapest starting headcount of the chosen agent groups that "
    "meets every\nregion's SLA attainment target for every priority: from the Erlang "
    "forecast, adding\nagents where they cut the shortfall most per unit of cost, "
    "then lowering each group,\nmost expensive first; the plan is confirmed on fresh "
    "random numbers (docs/plan.md).\n\n";

po::options_description plan_options() {
  po::options_description options = command_options("plan");
  options.add_options()(
      "vary-headcount", po::value<std::vector<std::string>>()->value_name("PATTERNS"),
      "the agent groups the plan may change: names or REGION-TIER labels, * for any characters, "
      "separated by commas (\"EMEA-*,AMER-L1,tokyo-l1\"); may be repeated. Required")(
      "targets", po::value<std::string>()->default_value("default"),
      "default (the scenario's attainment targets), or overrides: P1=0.97,P3=92%")(
      "confidence", po::value<std::string>()->default_value(std::string(confidences[0])),
      "ci: the 95% confidence interval's lower bound must reach each target; mean: the mean")(
      "max-evaluations", po::value<std::string>()->default_value("400"),
      "headcounts simulated at most")(
      "min", po::value<std::vector<std::string>>()->value_name("PATTERN=N"),
      "each group the pattern matches keeps at least N agents (\"munich-*=4\"); may be repeated")(
      "max", po::value<std::vector<std::string>>()->value_name("PATTERN=N"),
      "each group the pattern matches has at most N agents; may be repeated")(
      "no-growth", po::value<std::vector<std::string>>()->value_name("SITE"),
      "no group of the site grows beyond the scenario's headcount; may be repeated")(
      "cover", po::value<std::vector<std::string>>()->value_name("RULE"),
      "REGION:language=CODE>=N or REGION:product=NAME>=N: at least N agents with that skill "
      "rostered in the region whenever the scenario rosters one (\"EMEA:language=de>=2\"); "
      "may be repeated");
  add_format_option(options, plan_formats);
  options.add_options()("out", po::value<std::string>()->value_name("DIR"),
                        "also write plan.json and plan-scenario.json (the plan as a what-if that "
                        "extends the scenario) into DIR");
  options.add(
      replication_options("replications per headcount simulated (default: the scenario's)"));
  return options;
}

/// The patterns of every --vary-headcount, split at commas, empty ones dropped.
std::vector<std::string> headcount_patterns(const po::variables_map &vm) {
  std::vector<std::string> patterns;
  for (const std::string &list : vm["vary-headcount"].as<std::vector<std::string>>())
    for (std::size_t at = 0; at <= list.size();) {
      const std::size_t comma = std::min(list.find(',', at), list.size());
      if (comma > at) patterns.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
  return patterns;
}

/// Every value of a repeatable option, none when it is absent.
std::vector<std::string> values_of(const po::variables_map &vm, const char *option) {
  return vm.count(option) ? vm[option].as<std::vector<std::string>>() : std::vector<std::string>{};
}

/// --min, --max, --no-growth and --cover, checked: a PlanError is a mistake on the command
/// line, named by its option.
void plan_constraints(const po::variables_map &vm, const models::OrganisationConfig &org,
                      analysis::PlanOptions &plan) {
  auto named = [](const char *option, auto &&read) {
    try {
      read();
    } catch (const analysis::PlanError &e) {
      throw UsageError(fmt::format("--{}: {}", option, e.what()));
    }
  };
  for (const std::string &text : values_of(vm, "min"))
    named("min", [&] { plan.limits.push_back(analysis::parse_headcount_limit(text, true, org)); });
  for (const std::string &text : values_of(vm, "max"))
    named("max", [&] { plan.limits.push_back(analysis::parse_headcount_limit(text, false, org)); });
  for (const std::string &site : values_of(vm, "no-growth"))
    named("no-growth", [&] { plan.limits.push_back(analysis::parse_no_growth(site, org)); });
  for (const std::string &text : values_of(vm, "cover"))
    named("cover", [&] { plan.cover.push_back(analysis::parse_cover_rule(text, org)); });
}

/// The plan's groups, targets and search, checked: a PlanError about the groups or targets is
/// a mistake on the command line, named by its option. `replication`: the checked --seed,
/// --replications and --jobs.
analysis::PlanOptions plan_arguments(const po::variables_map &vm,
                                     const scenarios::Scenario &scenario, bool with_confidence,
                                     const Replication &replication) {
  analysis::PlanOptions plan;
  try {
    plan.groups = analysis::match_groups(scenario.organisation, headcount_patterns(vm));
  } catch (const analysis::PlanError &e) {
    throw UsageError(fmt::format("--vary-headcount: {}", e.what()));
  }
  try {
    plan.targets = analysis::parse_targets(vm["targets"].as<std::string>(), scenario);
  } catch (const analysis::PlanError &e) {
    throw UsageError(fmt::format("--targets: {}", e.what()));
  }
  plan.with_confidence = with_confidence;
  plan.seed = replication.seed.value_or(scenario.seed);
  plan.replications = replication.replications.value_or(scenario.replications);
  plan.jobs = replication.jobs;
  if (plan.replications < 2 && plan.with_confidence)
    throw UsageError("plan --confidence ci needs at least 2 replications; use --replications");
  plan.max_evaluations =
      static_cast<std::uint32_t>(whole_number(vm, "max-evaluations", 2, 1000000));
  plan_constraints(vm, scenario.organisation, plan);
  return plan;
}

/// plan.json, and plan-scenario.json when a plan was found, into `folder`.
void write_plan_files(const std::string &folder, const analysis::PlanResult &result,
                      const scenarios::Scenario &scenario, const std::string &json) {
  analysis::NamedFiles files{{"plan.json", json}};
  std::vector<std::string> retired;
  // Without a plan, an earlier run's plan-scenario.json must not stay beside this plan.json.
  if (result.plan)
    files.emplace_back("plan-scenario.json", analysis::render_plan_scenario(result, scenario));
  else
    retired.push_back("plan-scenario.json");
  analysis::write_result_set(folder, files, retired);
}

/// `supportsim plan`, its options read (--help is handled by run_with_options).
int command(const po::variables_map &vm) {
  const std::string format = choice(vm, "format", plan_formats);
  const bool with_confidence = choice(vm, "confidence", confidences) == "ci";
  if (!vm.count("vary-headcount"))
    throw UsageError("plan needs --vary-headcount PATTERNS: the agent groups it may change");
  scenarios::Scenario scenario = scenario_argument(vm, "plan");
  const Replication replication = replication_arguments(vm, 2);
  apply(replication, scenario);
  print_warnings(scenario);
  analysis::PlanOptions plan = plan_arguments(vm, scenario, with_confidence, replication);
  const std::optional<std::string> out = output_folder(vm);

  // Progress on a terminal only: sweep's bar, over the simulations the search expects so far
  // (an estimate it revises, hence "~"), with the step it is on.
  const auto started = std::chrono::steady_clock::now();
  ProgressBar progress;
  plan.progress = [&](std::uint32_t evaluations, std::uint32_t expected, std::string_view step) {
    progress(evaluations, expected, step, evaluations < expected);
  };
  const analysis::PlanResult result = analysis::plan_headcount(scenario, plan);
  // The search may stop short of its estimate (no plan found): the bar ends full all the same.
  progress(result.evaluations, result.evaluations, result.plan ? "done" : "stopped: no plan");
  progress.finish();
  const std::string json = analysis::render_plan_json(result, scenario, SUPPORTSIM_VERSION);
  if (out) write_plan_files(*out, result, scenario, json);
  print_stdout(format == "json" ? json : analysis::render_plan_table(result, scenario));
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  std::cerr << fmt::format("supportsim: {} headcounts simulated in {:.1f} s\n", result.evaluations,
                           took.count());
  return exit_ok;
}

} // namespace

int plan_command(const Arguments &args) {
  return run_with_options(args, plan_options(), usage, command);
}

} // namespace supportsim::cli
