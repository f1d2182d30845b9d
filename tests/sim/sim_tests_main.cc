// The runner of pkiform_sim_tests (the simulator's own tests, tests/sim/*_test.cc).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
