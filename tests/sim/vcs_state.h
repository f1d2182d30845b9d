// The state of one simulated Cisco TelePresence VCS / Expressway peer (pkiform-sim,
// platform vcs; docs/platforms/vcs.md, "CLI contract" and "Simulator"), kept in plain
// files in its directory DIR so that its admin shells, root execs and the TLS daemon
// (separate processes) share it.
//
// DIR layout (written atomically by rename; private keys 0600, never printed):
//   sim.conf                    key=value: platform=vcs, fqdn, address, cluster-fqdn,
//                               release, restart-ms, root-user, https-port,
//                               sip-tls-port, mra-port
//   certs/                      what the appliance has at /tandberg/persistent/certs/:
//     server.pem, privkey.pem     the installed server certificate (leaf) and key
//     ca.pem                      the trusted CA list, concatenated PEM
//     generated_csr/csr.pem       the pending CSR (exists exactly while one is, V4)
//     generated_csr/privkey.pem   its key, which never leaves the appliance (V4)
//     crl/manual.pem              the uploaded CRL (exists exactly while one is, V11)
//   staging/                    what the appliance has at /tmp/pkiform/ (root's cat >)
//   active/server.pem|privkey.pem  the identity the TLS services serve: the installed
//                               one as of the last restart (V7)
//   factory/server.pem|privkey.pem|ca.pem  the factory state of V17, for ResetToDefault
//   settings.conf               xConfiguration values (vcs_settings.h); absent: factory
//   boot.conf                   generation (one more per restart), down-until-ms,
//                               failing (the restart met the fail-restart fault)
//   lock                        flock around every state change
//   faults                      optional fault injection (faults.h)
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/util/result.h"

namespace pkiform::sim {

namespace fs = std::filesystem;

struct VcsConfig {
  std::string fqdn;
  std::string address;
  std::string clusterFqdn;  // empty: not clustered
  std::string release = "X8.1.1";
  int restartMs = 0;
  std::string rootUser = "root";
  int httpsPort = 443;
  int sipTlsPort = 5061;
  int mraPort = 8443;
  std::vector<std::string> peers;  // Alternates Peer 1..6 at init (ASSUMED option --peer)
};

// A certificate action's success: the `<Leaf>: <value>` lines of its `*r ... (status=OK)`
// answer, in order (values already formatted, strings quoted).
using VcsResultLines = std::vector<std::pair<std::string, std::string>>;

// The fields of `xCommand Certificates CSR Generate` (vcs.md).
struct VcsCsrFields {
  std::string commonName, alternativeNames, organization, organizationalUnit, locality, state, country, keyLength;
};

class VcsAppliance {
 public:
  // Reads DIR/sim.conf; fails when DIR is not a vcs appliance made by `init`.
  static Result<VcsAppliance> Open(const fs::path& dir);
  // `pkiform-sim init --platform vcs`: the factory state of V17.
  static Status Init(const fs::path& dir, const VcsConfig& config);
  // Whether DIR holds a vcs appliance (sim.conf says platform=vcs).
  static bool IsVcs(const fs::path& dir);

  const VcsConfig& config() const { return config_; }
  const fs::path& dir() const { return dir_; }
  fs::path CertsDir() const { return dir_ / "certs"; }
  fs::path StagingDir() const { return dir_ / "staging"; }
  fs::path LockPath() const { return dir_ / "lock"; }

  // Certificate actions (vcs.md "Certificate actions"). A refusal is an InvalidInput
  // Status whose message is the contract's reason line, with the rule attached.
  // `args` are the command's parameters by name (as the contract spells them).
  Result<VcsResultLines> GenerateCsr(const VcsCsrFields& fields) const;
  Result<VcsResultLines> DiscardCsr() const;
  Result<VcsResultLines> UploadServer(const std::string& certificateFile,
                                      const std::optional<std::string>& keyFile) const;
  Result<VcsResultLines> ResetServer() const;
  Result<VcsResultLines> AppendCa(const std::string& file) const;
  Result<VcsResultLines> DeleteCa(const std::string& fingerprint) const;
  Result<VcsResultLines> ResetCa() const;
  Result<VcsResultLines> UploadCrl(const std::string& file) const;
  Result<VcsResultLines> RemoveCrl() const;

  // The trusted CA list (ca.pem), in list order.
  std::vector<pki::Certificate> TrustedCas() const;

  // Boot state (V7). Restart(): every session of this generation ends; the appliance is
  // down for restart-ms (or, with the fail-restart fault, until the fault is gone); the
  // installed server certificate and key become the active ones; staging/ is emptied.
  int Generation() const;
  bool IsUp() const;
  Status Restart() const;
  // The identity the TLS services serve (active/), PEM texts.
  std::optional<std::string> ActiveCertificatePem() const;
  std::optional<std::string> ActiveKeyPem() const;

 private:
  VcsAppliance(fs::path dir, VcsConfig config) : dir_(std::move(dir)), config_(std::move(config)) {}
  // A staged file named by an admin command ("/tmp/pkiform/<name>"), or its refusal.
  Result<std::string> ReadStaged(const std::string& path) const;
  Status WriteCaList(const std::vector<pki::Certificate>& list) const;
  std::map<std::string, std::string> LoadBoot() const;

  fs::path dir_;
  VcsConfig config_;
};

// The host path behind a path of the appliance's file system ("/tandberg/persistent/certs/..."
// or "/tmp/pkiform/..."), lexically normalised; nullopt for any other path (or one that
// leaves those folders with "..").
std::optional<fs::path> VcsHostPath(const VcsAppliance& a, const std::string& appliancePath);

// "Dec 06 2026" (UTC), the date form of the contract's result lines.
std::string VcsDate(pki::TimePoint t);

}  // namespace pkiform::sim
