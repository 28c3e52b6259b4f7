#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace supportsim::models {

/// Case priority, P1 (critical) to P4 (low). Lower values are more urgent and are served first.
enum class Priority : std::uint8_t { p1 = 0, p2 = 1, p3 = 2, p4 = 3 };
inline constexpr std::size_t priority_count = 4;
inline constexpr std::array<std::string_view, priority_count> priority_names{"P1", "P2", "P3",
                                                                             "P4"};
constexpr std::string_view name_of(Priority p) {
  return priority_names[static_cast<std::size_t>(p)];
}
constexpr std::size_t index_of(Priority p) {
  return static_cast<std::size_t>(p);
}

/// A value per priority, indexed by Priority.
template <class T> using PerPriority = std::array<T, priority_count>;

} // namespace supportsim::models
