// The one translation unit that builds Catch2's runner; every other test file only includes it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
