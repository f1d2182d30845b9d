// A simulated UCM cluster for the ucm provider's tests: `pkiform-sim init` nodes on
// 127.0.93.x behind one real OpenSSH sshd whose ForceCommand is `pkiform-sim shell
// --fleet DIR` (the node is found from the server address), the sim's TLS daemon, and a
// provider per node on a real SSH session.
#pragma once

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "providers/ssh/session.h"
#include "providers/ucm/ucm_provider.h"
#include "reconciler/manifest/model.h"
#include "tests/providers/ssh/ssh_fixture.h"
#include "tests/sim/sim_test_support.h"
#include "tests/support/sshd_harness.h"

namespace pkiform::ucmtest {

namespace fs = std::filesystem;

inline const std::string kClusterFqdn = "cucm.example.com";

struct SimNode {
  simtest::NodeSpec spec;
  fs::path dir;
};

// The sim's files belong to the login user: sshd runs the shell as that user.
inline void ChownTree(const fs::path& root, const std::string& user) {
  struct passwd* pw = getpwnam(user.c_str());
  REQUIRE(pw);
  REQUIRE(chown(root.c_str(), pw->pw_uid, pw->pw_gid) == 0);
  for (const auto& e : fs::recursive_directory_iterator(root))
    REQUIRE(lchown(e.path().c_str(), pw->pw_uid, pw->pw_gid) == 0);
}

class SimCluster {
 public:
  // Nodes are initialised in order (publisher first).
  explicit SimCluster(std::vector<simtest::NodeSpec> specs) {
    fleet_ = tmp_.path() / "fleet";
    fs::create_directories(fleet_ / "hosts");
    for (auto& spec : specs) {
      fs::path dir = fleet_ / "hosts" / spec.address;
      if (spec.httpsPort == 0) spec.httpsPort = simtest::FreePort(spec.address);
      if (spec.sipTlsPort == 0) spec.sipTlsPort = simtest::FreePort(spec.address);
      simtest::InitNode(dir, fleet_ / "cluster", spec);
      nodes_.push_back({spec, dir});
    }
    testing::SshdOptions options;
    options.listenAddress = "0.0.0.0";
    options.knownHostsNames.clear();
    for (const auto& n : nodes_) options.knownHostsNames.push_back(n.spec.address);
    // The state must be reachable by the login user: keep it under a folder it may enter.
    fs::permissions(tmp_.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    auto sshd = testing::SshdHarness::StartWithForceCommand(simtest::kSim + " shell --fleet " + fleet_.string(), options);
    if (!sshd.ok()) FAIL(sshd.status().ToString());
    sshd_ = std::move(sshd).value();
    ChownTree(fleet_, sshd_->user());
    tls_ = std::make_unique<simtest::TlsDaemon>(std::vector<fs::path>{fleet_}, tmp_.path() / "tls.log", "--fleet");
  }

  const SimNode& node(size_t i) const { return nodes_.at(i); }
  const fs::path& fleet() const { return fleet_; }

  // The manifest's view: cluster "cucm" with these slots and trust stores.
  Cluster Manifest(const std::vector<std::string>& slots, const std::vector<std::string>& stores) const {
    Cluster c;
    c.name = "cucm";
    c.platform = "ucm";
    c.fqdn = kClusterFqdn;
    for (const auto& n : nodes_) {
      Peer p;
      p.fqdn = n.spec.fqdn;
      p.address = n.spec.address;
      p.role = n.spec.role;
      p.https_port = n.spec.httpsPort;
      c.peers.push_back(p);
    }
    for (const auto& s : slots) {
      IdentitySlot slot;
      slot.slot = s;
      c.identity.push_back(slot);
    }
    for (const auto& s : stores) {
      TrustStore t;
      t.store = s;
      c.trust.push_back(t);
    }
    return c;
  }

  std::unique_ptr<ssh::SshSession> Connect(size_t i) const {
    auto target = sshd_->Target(nodes_.at(i).spec.address);
    return testing::ConnectOrFail(target);
  }

  // Logs in with the key, and names `passwordFile` as the connection's password (what
  // the platform REST API's basic auth takes, U15).
  std::unique_ptr<ssh::SshSession> Connect(size_t i, const std::string& passwordFile) const {
    auto target = sshd_->Target(nodes_.at(i).spec.address);
    target.passwordFile = passwordFile;
    return testing::ConnectOrFail(target);
  }

  // The sshd login user: the administrator the REST API knows (NodeSpec::adminUser).
  static std::string LoginUser() { return testing::SshdOptions().user; }

  void WriteFaults(size_t i, const std::string& text) const {
    std::ofstream(nodes_.at(i).dir / "faults") << text;
    ChownTree(nodes_.at(i).dir, sshd_->user());
  }

 private:
  testing::TempDir tmp_;
  fs::path fleet_;
  std::vector<SimNode> nodes_;
  std::unique_ptr<testing::SshdHarness> sshd_;
  std::unique_ptr<simtest::TlsDaemon> tls_;
};

}  // namespace pkiform::ucmtest
