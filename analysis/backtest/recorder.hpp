#pragma once

#include "analysis/backtest/figures.hpp"
#include "models/records.hpp"
#include "sim/clock.hpp"

#include <vector>

namespace supportsim::analysis::backtest {

/// A record sink that keeps what a backtest scores of one simulated run: each case's queue
/// entry, first response or abandonment and first handle time, and each agent's logged-in and
/// busy spans (as CaseOutcome and AgentSpan, the same values a history gives).
class OutcomeRecorder final : public models::RecordSink {
public:
  explicit OutcomeRecorder(sim::UtcTime epoch) : clock_(epoch) {}

  void on(const models::RunStarted &r) override;
  void on(const models::CaseArrived &r) override;
  void on(const models::FirstResponse &r) override;
  void on(const models::CaseAbandoned &r) override;
  void on(const models::TouchStarted &r) override;
  void on(const models::TouchCompleted &r) override;
  void on(const models::AgentStateChanged &r) override;
  void on(const models::AgentHired &r) override;
  void on(const models::RunEnded &r) override;

  const std::vector<CaseOutcome> &cases() const { return cases_; }
  const std::vector<AgentSpan> &spans() const { return spans_; }

private:
  struct AgentTrack {
    sim::UtcTime logged_in{}, busy_since{};
    std::uint8_t region = 0;
    std::uint8_t in_hand = 0;
    bool logged = false;
  };
  CaseOutcome &outcome(models::CaseNumber n) { return cases_[n - first_number_]; }
  AgentTrack &agent(models::AgentIndex a);
  sim::UtcTime utc(sim::SimTime t) const { return clock_.to_utc(t); }

  sim::Clock clock_;
  models::CaseNumber first_number_ = 0;
  std::vector<CaseOutcome> cases_;
  std::vector<AgentTrack> agents_;
  std::vector<AgentSpan> spans_;
};

} // namespace supportsim::analysis::backtest
