// The unit test runner. Like pkiform itself, it ignores SIGPIPE: a TLS or SSH
// peer that closes first must give an error value, not kill the process.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <csignal>

int main(int argc, char* argv[]) {
  std::signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
