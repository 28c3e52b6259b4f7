#include "cli/commands/sweep_report.hpp"

#include "analysis/output/output.hpp"
#include "analysis/report/html_report.hpp"

namespace supportsim::cli {

void report_sweep(const analysis::SweepResult &result, const std::optional<std::string> &out,
                  const std::string &format) {
  const analysis::SweepSummary summary = analysis::summarise_sweep(result);
  const std::string csv = analysis::render_sweep_csv(summary);
  const std::string json = analysis::render_sweep_json(summary, SUPPORTSIM_VERSION);
  if (out)
    analysis::write_result_set(
        *out, {{"sweep.csv", csv},
               {"sweep.json", json},
               {"report.html", analysis::render_sweep_html(summary, SUPPORTSIM_VERSION)}});
  print_stdout(format == "csv"    ? csv
               : format == "json" ? json
                                  : analysis::render_sweep_table(summary, SUPPORTSIM_VERSION));
}

} // namespace supportsim::cli
