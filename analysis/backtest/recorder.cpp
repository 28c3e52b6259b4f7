#include "analysis/backtest/recorder.hpp"

#include <chrono>

namespace supportsim::analysis::backtest {

OutcomeRecorder::AgentTrack &OutcomeRecorder::agent(models::AgentIndex a) {
  if (a >= agents_.size()) agents_.resize(a + 1);
  return agents_[a];
}

void OutcomeRecorder::on(const models::RunStarted &r) {
  for (std::size_t a = 0; a < r.agents.size(); ++a)
    agent(static_cast<models::AgentIndex>(a)).region = r.agents[a].region;
}

void OutcomeRecorder::on(const models::AgentHired &r) {
  agent(r.agent).region = r.info.region;
}

void OutcomeRecorder::on(const models::CaseArrived &r) {
  if (cases_.empty()) first_number_ = r.info.number;
  CaseOutcome c;
  c.queued = utc(r.time);
  c.region = r.info.region;
  c.channel = r.info.channel;
  cases_.push_back(c);
}

void OutcomeRecorder::on(const models::FirstResponse &r) {
  CaseOutcome &c = outcome(r.info.number);
  c.answered = true;
  c.ended = utc(r.time);
}

void OutcomeRecorder::on(const models::CaseAbandoned &r) {
  CaseOutcome &c = outcome(r.info.number);
  c.abandoned = true;
  c.ended = utc(r.time);
}

void OutcomeRecorder::on(const models::TouchStarted &r) {
  AgentTrack &a = agent(r.agent);
  if (a.in_hand++ == 0) a.busy_since = utc(r.time);
}

void OutcomeRecorder::on(const models::TouchCompleted &r) {
  CaseOutcome &c = outcome(r.info.number);
  // A case has one touch at a time: the first completion after the first response is the
  // first touch's.
  if (c.answered && c.handle_minutes < 0)
    c.handle_minutes = static_cast<float>(
        std::chrono::duration<double, std::ratio<60>>(utc(r.time) - utc(r.started)).count());
  AgentTrack &a = agent(r.agent);
  if (a.in_hand > 0 && --a.in_hand == 0)
    spans_.push_back({a.busy_since, utc(r.time), a.region, true});
}

void OutcomeRecorder::on(const models::AgentStateChanged &r) {
  AgentTrack &a = agent(r.agent);
  const bool taking_work = r.state == models::AgentState::available;
  if (taking_work && !a.logged) {
    a.logged = true;
    a.logged_in = utc(r.time);
  } else if (!taking_work && a.logged) {
    a.logged = false;
    spans_.push_back({a.logged_in, utc(r.time), a.region, false});
  }
}

void OutcomeRecorder::on(const models::RunEnded &r) {
  for (AgentTrack &a : agents_) {
    if (a.logged) spans_.push_back({a.logged_in, utc(r.time), a.region, false});
    if (a.in_hand > 0) spans_.push_back({a.busy_since, utc(r.time), a.region, true});
    a.logged = false;
    a.in_hand = 0;
  }
}

} // namespace supportsim::analysis::backtest
