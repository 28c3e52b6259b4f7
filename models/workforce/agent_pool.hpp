#pragma once

#include "models/organisation.hpp"
#include "models/records.hpp"
#include "models/workforce/agent.hpp"

#include <cstdint>
#include <vector>

namespace supportsim::models {

/// Every agent of the run (hires included), and per group the lists of free agents a case is
/// offered to: idle agents, and agents chatting with room for another chat, each in the order
/// they became free (docs/model.md, "A case picks among free agents").
class AgentPool {
public:
  /// `stream_key` seeds each agent's own stream, by (group, number).
  AgentPool(const OrganisationConfig &config, std::uint64_t stream_key);

  /// A new agent of `group`, numbered `number` within it, hired at `hired`, not yet on shift.
  AgentIndex add(std::uint32_t group, std::uint32_t number, sim::SimTime hired);
  void reserve(std::size_t agents) { agents_.reserve(agents); }

  Agent &operator[](AgentIndex a) { return agents_[a]; }
  const Agent &operator[](AgentIndex a) const { return agents_[a]; }
  AgentIndex size() const { return static_cast<AgentIndex>(agents_.size()); }

  /// Puts the agent in or takes them out of the group's free lists, as their state now says.
  void refresh(AgentIndex a, sim::SimTime now);
  /// Emits AgentStateChanged if the agent's state, paid or overtime flag changed (docs/model.md,
  /// "What the agent's time is"), and counts the group's agents working a shift.
  void report_state(AgentIndex a, sim::SimTime now, RecordSink &sink);

  const FreeList &idle(std::uint32_t group) const { return idle_[group]; }
  const FreeList &chat_room(std::uint32_t group) const { return chat_room_[group]; }
  /// Word i of the groups with an idle agent, and with an agent chatting with room.
  std::uint64_t idle_groups(std::size_t i) const { return idle_groups_[i]; }
  std::uint64_t chat_room_groups(std::size_t i) const { return chat_room_groups_[i]; }
  std::size_t groups() const { return idle_.size(); }
  /// Agents of the group on shift, taking cases or paused.
  std::uint32_t working(std::uint32_t group) const { return working_[group]; }

  /// A trigger lends the agent to `region` until `until`.
  void lend(Agent &agent, std::uint8_t region, sim::SimTime until);
  /// An agent of the group may be on loan until then; any agent, until loans_until().
  sim::SimTime borrowed_until(std::uint32_t group) const { return borrowed_until_[group]; }
  sim::SimTime loans_until() const { return loans_until_; }

private:
  const OrganisationConfig &config_;
  std::uint64_t stream_key_;
  std::vector<Agent> agents_;
  std::vector<FreeList> idle_;                  // per group: taking work, nothing in hand
  std::vector<FreeList> chat_room_;             // per group: chatting, room for another chat
  std::vector<std::uint32_t> working_;          // per group: agents on shift (available or paused)
  std::vector<std::uint64_t> idle_groups_;      // groups whose idle_ list is not empty
  std::vector<std::uint64_t> chat_room_groups_; // groups whose chat_room_ list is not empty
  std::vector<sim::SimTime> borrowed_until_;    // per group
  sim::SimTime loans_until_ = sim::SimTime::zero(); // the latest of borrowed_until_
};

} // namespace supportsim::models
