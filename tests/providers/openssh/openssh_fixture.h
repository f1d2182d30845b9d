// Shared set-up for the [openssh] tests: a real sshd (the [ssh] tests' shared
// one), a fresh directory per test owned by the login user, a cluster whose
// slot and trust stores point into it, a small local CA, and helpers to look at
// the files as root from the test process.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "providers/openssh/openssh_provider.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "reconciler/pki/key.h"
#include "reconciler/pki/signer.h"
#include "tests/providers/ssh/ssh_fixture.h"
#include "tests/support/must.h"

namespace pkiform::testing {

inline std::string ReadLocal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool Exists(const std::string& path) { return std::filesystem::exists(std::filesystem::symlink_status(path)); }

inline int ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

// A file or directory created by the test (as root) but owned by the login user.
inline void GiveToLoginUser(const std::string& path) {
  struct stat owner {};
  REQUIRE(::stat(SharedSshd().dataDir().c_str(), &owner) == 0);
  REQUIRE(::chown(path.c_str(), owner.st_uid, owner.st_gid) == 0);
}

inline void WriteLocal(const std::string& path, const std::string& text, int mode = 0644) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  REQUIRE(::chmod(path.c_str(), static_cast<mode_t>(mode)) == 0);
  GiveToLoginUser(path);
}

// A local CA that signs what the tests install.
struct TestCa {
  pki::PrivateKey key;
  pki::Certificate certificate;
};

inline pki::SigningPolicy PolicyFor(const pki::DistinguishedName& subject, std::vector<std::string> dns,
                                    std::vector<std::string> ips, bool ca) {
  pki::SigningPolicy policy;
  policy.subject = subject;
  policy.dnsNames = std::move(dns);
  policy.ipAddresses = std::move(ips);
  policy.isCa = ca;
  policy.keyUsage = ca ? std::set<std::string>{"keyCertSign", "cRLSign"} : std::set<std::string>{"digitalSignature"};
  if (!ca) policy.extendedKeyUsage = {"serverAuth"};
  policy.notBefore = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) -
                     std::chrono::hours(1);
  policy.validity = std::chrono::hours(24 * 30);
  return policy;
}

inline TestCa MakeCa(const std::string& commonName) {
  pki::PrivateKey key = MustOk(pki::PrivateKey::Generate(pki::KeySpec::Ecdsa("P-256")));
  pki::DistinguishedName name;
  name.commonName = commonName;
  name.organization = "pkiform tests";
  pki::Certificate certificate = MustOk(pki::SelfSign(key, PolicyFor(name, {}, {}, true)));
  return TestCa{std::move(key), std::move(certificate)};
}

inline const TestCa& SharedCa() {
  static const TestCa ca = MakeCa("openssh test CA");
  return ca;
}

// Signs a CSR with the shared CA, copying its subject and names.
inline pki::Certificate SignWithCa(const std::string& csrPem) {
  pki::Csr csr = MustOk(pki::Csr::FromPem(csrPem));
  return MustOk(pki::SignCsr(csr, SharedCa().certificate, SharedCa().key,
                             PolicyFor(csr.Subject(), csr.DnsNames(), csr.IpAddresses(), false)));
}

// One test's host: its own directory, a cluster "web-eu" with peer
// web1.example.com, slot "nginx" (files in dir/tls) and two trust stores
// (dir/trust/bundle.pem, dir/trust/cas/), and a provider over a new session.
class OpensshHost {
 public:
  OpensshHost() {
    static std::atomic<int> counter{0};
    dir_ = SharedSshd().dataDir() + "/openssh-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    for (const std::string& d : {dir_, dir_ + "/tls", dir_ + "/trust", dir_ + "/trust/cas"}) {
      std::filesystem::create_directories(d);
      GiveToLoginUser(d);
    }
    cluster_.name = "web-eu";
    cluster_.platform = "openssh";
    peer_.fqdn = "web1.example.com";
    peer_.address = "127.0.0.1";
    cluster_.peers.push_back(peer_);
    IdentitySlot slot;
    slot.slot = "nginx";
    slot.files = SlotFiles{};
    slot.files->certificate = dir_ + "/tls/server.pem";
    slot.files->chain = dir_ + "/tls/chain.pem";
    slot.files->fullchain = dir_ + "/tls/fullchain.pem";
    slot.files->private_key = dir_ + "/tls/server.key";
    slot.reload = "touch " + dir_ + "/reloaded";
    cluster_.identity.push_back(slot);
    TrustStore bundle;
    bundle.store = dir_ + "/trust/bundle.pem";
    bundle.update = "touch " + dir_ + "/updated";
    cluster_.trust.push_back(bundle);
    TrustStore directory;
    directory.store = dir_ + "/trust/cas";
    cluster_.trust.push_back(directory);
    session_ = ConnectOrFail(SharedSshd().Target());
  }
  ~OpensshHost() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::string& dir() const { return dir_; }
  std::string certificate() const { return cluster_.identity[0].files->certificate; }
  std::string chain() const { return cluster_.identity[0].files->chain; }
  std::string fullchain() const { return cluster_.identity[0].files->fullchain; }
  std::string key() const { return cluster_.identity[0].files->private_key; }
  std::string bundle() const { return cluster_.trust[0].store; }
  std::string directory() const { return cluster_.trust[1].store; }
  Cluster& cluster() { return cluster_; }
  IdentitySlot& slot() { return cluster_.identity[0]; }
  ssh::SshSession& session() { return *session_; }

  // A provider for the cluster as it is now (tests may change it first).
  openssh::OpensshProvider Provider() { return openssh::OpensshProvider(*session_, cluster_, peer_); }

  // A CSR request for web1.example.com.
  static CsrOnPeer Request(pki::KeySpec key = pki::KeySpec::Ecdsa("P-256")) {
    CsrOnPeer r;
    r.slot = "nginx";
    r.request.subject.commonName = "web1.example.com";
    r.request.subject.organization = "Example Ltd";
    r.request.subject.country = "GB";
    r.request.dnsNames = {"web1.example.com", "web.example.com"};
    r.request.ipAddresses = {"192.0.2.21"};
    r.request.keyUsage = {"digitalSignature"};
    r.request.extendedKeyUsage = {"serverAuth"};
    r.key = key;
    return r;
  }

  // GenerateCsr, sign with the shared CA, install with the pending key.
  pki::Certificate GenerateAndInstall(openssh::OpensshProvider& provider, IdentityBackup* backup = nullptr) {
    std::string csr = MustOk(provider.GenerateCsr(Request()));
    pki::Certificate leaf = SignWithCa(csr);
    IdentityInstall install;
    install.slot = "nginx";
    install.certificate_pem = leaf.ToPem();
    install.chain_pems = {SharedCa().certificate.ToPem()};
    install.use_pending_key = true;
    IdentityBackup made = MustOk(provider.InstallIdentity(install));
    if (backup) *backup = std::move(made);
    return leaf;
  }

 private:
  std::string dir_;
  Cluster cluster_;
  Peer peer_;
  std::unique_ptr<ssh::SshSession> session_;
};

}  // namespace pkiform::testing
