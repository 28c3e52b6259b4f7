#include "models/case/birth.hpp"

#include "models/draws.hpp"

#include <algorithm>
#include <cmath>

namespace supportsim::models {

WorkType first_work_type(const CaseInfo &info) {
  return info.priority <= Priority::p2  ? WorkType::front_door
         : is_synchronous(info.channel) ? WorkType::live
                                        : WorkType::backlog;
}

std::optional<sim::Duration> draw_birth(Case &c, const LifecycleConfig &life) {
  // The case's own draws, fixed at birth whatever happens to it later.
  sim::SmallStream birth(c.seed);
  const double touches = std::ceil(life.touches.sample(birth));
  c.touches_needed = static_cast<std::uint16_t>(std::clamp(touches, 1.0, 1000.0));
  const auto &patience = life.patience_minutes[index_of(c.info.channel)];
  std::optional<sim::Duration> patience_left;
  if (patience) patience_left = minutes(patience->sample(birth));
  c.will_reopen = birth.uniform01() < life.reopen_probability;
  return patience_left;
}

} // namespace supportsim::models
