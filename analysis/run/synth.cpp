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

  SynthSummary summary;
  AtomicFile file(path, "the arrivals file");
  std::ostream &out = file.stream();
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
  file.commit();
  return summary;
}

} // namespace supportsim::analysis
