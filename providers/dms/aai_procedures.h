// The seed's AAI procedures, each a walk through menus and forms by what the screen says
// (aai_session.h), with every word from the dialect (schema/dialects/dms-aai.yaml):
// VIEW_CERT_CHAIN, GENERATE_CSR, GENERATE_NEW_CERT, IMPORT_CERTIFICATE, EXPORT_KEYSTORE and
// IMPORT_KEYSTORE. Each starts on the main menu of a fresh session. A procedure has worked
// when the appliance says so in its message box (the dialect's `success` rows); any other
// message box is the appliance's refusal and is returned in its words (escaped), all of them
// when several follow one another. Secrets (the staging password, the keystore passphrase)
// are typed, never quoted.
#pragma once

#include <string>
#include <vector>

#include "providers/dms/aai_session.h"
#include "providers/dms/dialect.h"
#include "reconciler/pki/distinguished_name.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::dms {

// What the (S)FTP forms take: "(S)FTP SERVER FQDN/IP:", "USER NAME:" and the password.
struct StagingLogin {
  std::string server;  // host, or host:port (dialect staging.serverWithPort)
  std::string user;
  const pki::SecretString* password = nullptr;
};

class AaiProcedures {
 public:
  AaiProcedures(AaiSession& session, const Dialect& dialect) : s_(session), d_(dialect) {}

  // VIEW_CERT_CHAIN: the PEM blocks it shows, the identity first, then each imported CA.
  Result<std::vector<std::string>> ViewChain();
  // GENERATE_CSR with the subject's OU, O, L, ST and C (the appliance puts its FQDN in CN),
  // delivered to the staging login's home (D16).
  Status GenerateCsr(const pki::DistinguishedName& subject, const StagingLogin& login);
  // GENERATE_NEW_CERT for `months` (D8); Ok once the appliance shows the D15 warning.
  Status GenerateSelfSigned(const pki::DistinguishedName& subject, int months);
  // IMPORT_CERTIFICATE: Yes to the overwrite question, then the files at these absolute paths
  // on the staging server (D16).
  Status ImportCertificate(const StagingLogin& login, const std::string& pem_path, const std::string& chain_paths);
  // EXPORT_KEYSTORE / IMPORT_KEYSTORE with the passphrase, at this absolute path (D14).
  Status ExportKeystore(const pki::SecretString& passphrase, const StagingLogin& login, const std::string& path);
  Status ImportKeystore(const pki::SecretString& passphrase, const StagingLogin& login, const std::string& path);

 private:
  // From the main menu down a path of menu items.
  Status Navigate(std::initializer_list<const std::string*> items);
  Status FillSubject(const pki::DistinguishedName& subject, const std::string& months);
  Status EnterLogin(const StagingLogin& login);
  Status Keystore(const std::string& item, const pki::SecretString& passphrase, const StagingLogin& login,
                  const std::string& path, const std::string& success);
  // Dismisses every message box now shown; Ok when one of them starts with `success` and no
  // other box came (null `success`: every box is a refusal, quoted in the error).
  Status Outcome(const std::string& procedure, const std::string* success);

  AaiSession& s_;
  const Dialect& d_;
};

}  // namespace pkiform::dms
