#include "cli/usage.hpp"

namespace supportsim::cli {

std::string_view usage_text() {
  return R"(supportsim — discrete-event simulation of a global technical-support organisation

Usage:
  supportsim run [SCENARIO.json] [options]   simulate a scenario (default: the embedded one)
  supportsim forecast [SCENARIO.json]        the analytic plan: Erlang C/A per region and
                                             week, required agents, a skills max-flow check;
                                             --interval 15|30|60|day: required agents per
                                             local interval; hour: staffing gaps by hour
  supportsim synth [SCENARIO.json] --out FILE
                                             write the cases the scenario's demand synthesises
                                             as an arrivals file (CSV) that run --arrivals replays
  supportsim fit CASES.csv --out FITTED.json
                                             estimate the demand from a case export, as a
                                             scenario that extends the default (or --scenario)
  supportsim calibrate HISTORY.csv --out CALIBRATED.json [--scenario BASE.json]
                                             estimate handle time, patience (censored),
                                             touches and reopens from a history of cases
  supportsim backtest HISTORY.csv --scenario S.json (--staffing FILE | --infer-staffing)
                                             replay a history against the real staffing and
                                             show actual beside simulated per interval
  supportsim sweep [SCENARIO.json] --vary PATH=SPEC... [--options FILE] [options]
                                             run every option of a grid (or a list) of
                                             changes to a scenario, with common random
                                             numbers, and compare each with the baseline
  supportsim merge PARTS... --out DIR        put the parts of a sharded sweep (--shard K/N)
                                             together: the files the whole sweep writes
  supportsim plan [SCENARIO.json] --vary-headcount PATTERNS
                                             the cheapest headcount of those groups that meets
                                             every SLA target, searched by simulation
  supportsim validate FILE...                check scenario files without running them
  supportsim show [SCENARIO.json]            print a scenario as supportsim reads it: extends
                                             resolved, every default filled in
  supportsim schema                          print the JSON Schema of scenario files
  supportsim schema --summary                print the JSON Schema of run --format json
                                             (summary.json)
  supportsim --help                          this text
  supportsim --version                       the version

Examples:
  supportsim run
  supportsim run scenarios/default.json --replications 20 --seed 7
  supportsim run --format json > result.json
  supportsim run scenarios/emea-hiring-freeze.json --out results/
  supportsim plan --vary-headcount 'EMEA-*' --replications 5
  supportsim validate scenarios/*.json
  supportsim sweep --vary agent_groups.london-l1.headcount=10..20/2 --out sweep/
  supportsim synth --out arrivals.csv --days 28
  supportsim run --arrivals cases.csv --arrivals-format salesforce --time-zone Europe/London
  supportsim calibrate calls.csv --arrivals-format acd --scenario scenarios/single-queue.json --out ours.json
  supportsim backtest calls.csv --arrivals-format acd --staffing roster.csv --scenario ours.json --out bt/

Exit codes: 0 success, 2 bad input (the message names the file and the place), 1 other failure.
)";
}

} // namespace supportsim::cli
