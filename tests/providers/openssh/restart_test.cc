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

TEST_CASE("a reload may take as long as its restart timeout, longer than a connection may", "[openssh][P3]") {
  OpensshHost host;
  host.slot().reload = "sleep 2 && touch " + host.dir() + "/reloaded";
  ssh::SshTarget quick = SharedSshd().Target();
  quick.timeout = std::chrono::milliseconds(1000);  // the connection's own limit: 1 s
  auto session = ConnectOrFail(quick);
  openssh::OpensshProvider provider(*session, host.cluster(), host.cluster().peers[0]);
  pkiform::Restart reload{pkiform::RestartKind::kCommand, host.slot().reload, "x"};

  // Without a restart timeout (none in the catalogue or the manifest) the connection's limit holds.
  Status cut = provider.Restart(reload);
  REQUIRE_FALSE(cut.ok());
  CHECK_THAT(cut.message(), Catch::Contains("timed out after 1000 ms"));

  // restartTimes (openssh: 120 s) or restarts.timeout give the reload its time.
  reload.timeout_seconds = 10;
  auto fresh = ConnectOrFail(quick);  // the first session ended with its timed-out channel
  openssh::OpensshProvider patient(*fresh, host.cluster(), host.cluster().peers[0]);
  Status waited = patient.Restart(reload);
  INFO(waited.message());
  CHECK(waited.ok());  // (no file check: the timed-out first reload goes on on the host and touches it too)
}
