#include "analysis/run/synth.hpp"

#include "analysis/output/output.hpp"
#include "models/demand.hpp"
#include "scenarios/arrivals.hpp"

#include <fmt/format.h>
#include <fstream>
#include <vector>

namespace supportsim::analysis {

SynthSummary write_synthesised_arrivals(const scenarios::Scenario &scenario, std::uint64_t seed,
                                        const std::filesystem::path &path) {
  const models::OrganisationConfig &org = scenario.organisation;
  const sim::Clock clock(org.start);
  models::Demand demand(org, clock, sim::RandomStreams(seed, 0),
                        sim::SimTime::zero() + org.horizon);
  std::vector<std::string_view> accounts; // numbered as CaseInfo::account
  for (const models::AgentGroupConfig &g : org.agent_groups)
    accounts.insert(accounts.end(), g.accounts.begin(), g.accounts.end());

  const std::filesystem::path temporary = temporary_path(path);
  SynthSummary summary;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw OutputError(fmt::format("{}: cannot write the arrivals file", path.string()));
    scenarios::write_native_header(out);
    std::string id;
    demand.for_each_arrival(
        sim::SimTime::zero() + org.horizon, [&](sim::SimTime t, const models::Demand::NewCase &c) {
          id = std::to_string(summary.cases++);
          scenarios::write_native_row(
              out, {.case_id = id,
                    .created = clock.to_utc(t),
                    .region = org.regions[c.info.region].name,
                    .priority = c.info.priority,
                    .channel = c.info.channel,
                    .segment = c.info.segment,
                    .product = org.products[c.info.product],
                    .language = org.languages[c.info.language],
                    .account = c.account == ~0u ? std::string_view() : accounts[c.account],
                    .seed = c.seed});
        });
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw OutputError(fmt::format("{}: cannot write the arrivals file", path.string()));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw OutputError(
        fmt::format("{}: cannot write the arrivals file: {}", path.string(), ec.message()));
  }
  return summary;
}

} // namespace supportsim::analysis
