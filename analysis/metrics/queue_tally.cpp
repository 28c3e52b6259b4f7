#include "analysis/metrics/queue_tally.hpp"

#include <algorithm>
#include <limits>

namespace supportsim::analysis {

namespace {
double ratio(double part, double whole) {
  return whole > 0 ? part / whole : std::numeric_limits<double>::quiet_NaN();
}
} // namespace

void QueueTally::add_answered(double wait_seconds, std::span<const int> sl_seconds) {
  answered += 1;
  answered_wait_seconds += wait_seconds;
  if (wait_seconds < 1.0) {
    zero_wait += 1;
  } else {
    waited += 1;
    waited_seconds += wait_seconds;
  }
  for (std::size_t k = 0; k < within.size() && k < sl_seconds.size(); ++k)
    if (wait_seconds <= sl_seconds[k]) within[k] += 1;
}

void QueueTally::add_abandoned(double wait_seconds) {
  abandoned += 1;
  // An abandonment within a second still waited for nobody: it counts as queued, its wait not.
  waited += 1;
  if (wait_seconds >= 1.0) waited_seconds += wait_seconds;
  waited_abandoned += 1;
}

void QueueTally::add(const QueueTally &o) {
  offered += o.offered;
  answered += o.answered;
  abandoned += o.abandoned;
  zero_wait += o.zero_wait;
  answered_wait_seconds += o.answered_wait_seconds;
  waited += o.waited;
  waited_seconds += o.waited_seconds;
  waited_abandoned += o.waited_abandoned;
  within.resize(std::max(within.size(), o.within.size()), 0.0);
  for (std::size_t i = 0; i < o.within.size(); ++i)
    within[i] += o.within[i];
}

double QueueTally::p_wait_zero() const {
  return ratio(zero_wait, offered);
}
double QueueTally::asa_seconds() const {
  return ratio(answered_wait_seconds, answered);
}
double QueueTally::mean_wait_queued_seconds() const {
  return ratio(waited_seconds, waited);
}
double QueueTally::p_abandon_queued() const {
  return ratio(waited_abandoned, waited);
}
double QueueTally::service_level(std::size_t k) const {
  return k < within.size() ? ratio(within[k], offered) : std::numeric_limits<double>::quiet_NaN();
}

} // namespace supportsim::analysis
