// Restart against a real sshd: the slot's reload or the store's update command.
#include <catch2/catch.hpp>

#include "tests/providers/openssh/openssh_fixture.h"

using namespace pkiform;
using namespace pkiform::testing;

TEST_CASE("Restart runs the slot's reload and the store's update command", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  REQUIRE(provider.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, host.slot().reload, "web-eu/web1.example.com/identity/nginx"}).ok());
  CHECK(Exists(host.dir() + "/reloaded"));
  REQUIRE(provider.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, host.cluster().trust[0].update, "trust"}).ok());
  CHECK(Exists(host.dir() + "/updated"));
}

TEST_CASE("a failing reload gives its exit status and the end of its stderr", "[openssh]") {
  OpensshHost host;
  host.slot().reload = "echo 'nginx: [emerg] cannot load certificate' >&2; exit 4";
  auto provider = host.Provider();
  Status s = provider.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, host.slot().reload, "x"});
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "nginx on web1.example.com: restart (" + host.slot().reload +
                           "): exit status 4: nginx: [emerg] cannot load certificate");
}

TEST_CASE("Restart refuses a command the cluster does not name", "[openssh]") {
  OpensshHost host;
  auto provider = host.Provider();
  Status s = provider.Restart(pkiform::Restart{pkiform::RestartKind::kCommand, "touch " + host.dir() + "/not-ours", "x"});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("refused"));
  CHECK_FALSE(Exists(host.dir() + "/not-ours"));
}
