// The state of one simulated Cisco DMS Show and Share appliance (pkiform-sim, platform dms;
// docs/platforms/dms.md, "AAI contract" and "Simulator"), kept in plain files in its
// directory DIR so that the AAI sessions and the TLS daemon (separate processes) share it.
//
// DIR layout (written atomically by rename; private keys 0600, never shown):
//   sim.conf                key=value: platform=dms, fqdn, address, https-port
//   keystore/               what the appliance's keystore holds (exported as KEYSTORE.DAT, D14)
//     identity.pem            the identity certificate (the TLS services serve it)
//     identity.key            its private key
//     chain.pem               the imported CA certificates, concatenated, in import order
//                             (empty for a self-signed identity)
//     csr.pem, csr.key        the newest CSR and its key (exist once GENERATE_CSR has run; D10)
//   lock                    flock around every state change
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/pki/key.h"
#include "reconciler/util/result.h"

namespace pkiform::sim {

namespace fs = std::filesystem;

struct DmsConfig {
  std::string fqdn;
  std::string address;
  int httpsPort = 443;
};

// The subject fields of GENERATE_CSR and GENERATE_NEW_CERT (seed, step 2 of both).
struct DmsSubjectFields {
  std::string department, organization, location, state, country;
};

class DmsAppliance {
 public:
  // Reads DIR/sim.conf; fails when DIR is not a dms appliance made by `init`.
  static Result<DmsAppliance> Open(const fs::path& dir);
  // `pkiform-sim init --platform dms`: the factory state, a self-signed identity for the
  // FQDN (ASSUMED: the seed says nothing of a factory certificate; Workflow B's self-signed
  // one is the closest) valid 12 months.
  static Status Init(const fs::path& dir, const DmsConfig& config);
  // Whether DIR holds a dms appliance (sim.conf says platform=dms).
  static bool IsDms(const fs::path& dir);

  const DmsConfig& config() const { return config_; }
  const fs::path& dir() const { return dir_; }
  fs::path KeystoreDir() const { return dir_ / "keystore"; }

  // The identity and the imported CA chain (each CA its own certificate, import order).
  Result<pki::Certificate> Identity() const;
  std::optional<std::string> IdentityKeyPem() const;
  std::vector<pki::Certificate> Chain() const;

  // GENERATE_NEW_CERT: a new RSA 2048 key and a self-signed identity, CN = FQDN, valid
  // `months` calendar months from now (1..999, rule D8); it replaces the identity and the
  // chain. The fields must have been checked (DmsFieldProblem).
  Status GenerateSelfSigned(const DmsSubjectFields& fields, int months) const;
  // GENERATE_CSR: a new RSA 2048 key and its CSR (CN = FQDN), written as the newest CSR.
  Result<std::string> GenerateCsr(const DmsSubjectFields& fields) const;
  // PublicKeyDigest of the newest CSR; empty when none was generated (D10).
  std::string NewestCsrKeyDigest() const;
  // IMPORT_CERTIFICATE, once the checks passed (dms_import.h): `identity` with the newest CSR's
  // key, and its CA chain (issuer first), replace the identity and the chain.
  Status ImportIdentity(const pki::Certificate& identity, const std::vector<pki::Certificate>& chain) const;
  // IMPORT_KEYSTORE: the identity, its key and chain as read from KEYSTORE.DAT replace the current ones.
  Status RestoreIdentity(const pki::Certificate& identity, const pki::PrivateKey& key,
                         const std::vector<pki::Certificate>& chain) const;

 private:
  DmsAppliance(fs::path dir, DmsConfig config) : dir_(std::move(dir)), config_(std::move(config)) {}
  fs::path dir_;
  DmsConfig config_;
};

// The forbidden subject characters of the seed's note (rule D6).
inline constexpr char kDmsForbiddenCharacters[] = ",+=\"'`\\<>#;";

// The refusal (message box text) for the subject fields, or nullopt when they are
// acceptable: rule D6 for every field, then the 2-letter country.
std::optional<std::string> DmsFieldProblem(const DmsSubjectFields& fields);
// Months Before Expiration as GENERATE_NEW_CERT takes it: 1..999 (rule D8), else nullopt.
std::optional<int> DmsMonths(const std::string& text);

}  // namespace pkiform::sim
