#include "scenarios/schema_validation.hpp"

#include <catch2/catch.hpp>
#include <string>

using supportsim::scenarios::detail::did_you_mean;
using supportsim::scenarios::detail::edit_distance;

TEST_CASE("edit distance ignores ASCII case and counts the fewest edits",
          "[scenarios][edit_distance]") {
  CHECK(edit_distance("dns", "DNS") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("lisbon_l1", "lisbon-l1") == 1);
}

TEST_CASE("edit distance with a limit stops once it is past the limit",
          "[scenarios][edit_distance]") {
  // Within the limit: the exact distance.
  CHECK(edit_distance("kitten", "sitting", 3) == 3);
  CHECK(edit_distance("kitten", "sitting", 10) == 3);
  // Past it: limit + 1, whether the lengths alone tell or the table does.
  CHECK(edit_distance("kitten", "sitting", 2) == 3);
  CHECK(edit_distance("abcdef", "uvwxyz", 1) == 2);
  CHECK(edit_distance("a", std::string(1000, 'x'), 5) == 6);
  // The largest limit does not overflow.
  CHECK(edit_distance("ab", "ba", static_cast<std::size_t>(-1)) == 2);
}

TEST_CASE("did you mean finds the clear nearest name only", "[scenarios][edit_distance]") {
  CHECK(did_you_mean("lisbon_l1", {"lisbon-l1", "munich-l1", "austin-l1"}) == "lisbon-l1");
  CHECK(did_you_mean("P5", {"P1", "P2"}).empty()); // a tie: no suggestion
  CHECK(did_you_mean(std::string(500, 'q'), {"lisbon-l1", "munich-l1"}).empty());
}
