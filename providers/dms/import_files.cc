#include "providers/dms/import_files.h"


#include "reconciler/pki/certificate_file.h"
#include "reconciler/pki/chain.h"

namespace pkiform::dms {

Result<ImportFiles> PrepareImportFiles(std::string_view identity_text, const std::vector<std::string>& chain_texts) {
  // Rule D1: whatever form it came in (PEM, DER, PKCS#7), it is parsed and written as PEM.
  auto identity = pki::ParseCertificates(identity_text);
  if (!identity.ok()) return identity.status().WithContext("the identity certificate [rule:D1]");
  std::vector<pki::Certificate> pool(identity->begin() + 1, identity->end());
  for (size_t i = 0; i < chain_texts.size(); ++i) {
    auto cas = pki::ParseCertificates(chain_texts[i]);
    if (!cas.ok()) return cas.status().WithContext("CA file " + std::to_string(i + 1) + " of the chain [rule:D1]");
    pool.insert(pool.end(), cas->begin(), cas->end());
  }
  const pki::Certificate& leaf = identity->front();
  auto path = pki::BuildChain(leaf, pool);
  if (!path.ok()) return path.status().WithContext("the identity's chain [rule:D11]");
  // Rule D11: the appliance builds the chain from the files it pulls and refuses one that
  // stops short of a root (MISSING_CA_CERTIFICATE). Say so before anything is staged.
  const pki::Certificate& top = path->back();
  if (!top.IsSelfSigned())
    return Status::InvalidInput("the chain of " + leaf.Subject().ToString() + " stops at " +
                                top.Subject().ToString() + ", issued by " + top.Issuer().ToString() +
                                ", which is not among the CA certificates: the appliance refuses an incomplete chain "
                                "(MISSING_CA_CERTIFICATE) [rule:D11]");
  if (path->size() == 1)
    return Status::InvalidInput("the identity " + leaf.Subject().ToString() +
                                " is self-signed: IMPORT_CERTIFICATE takes a CA-signed identity and its chain "
                                "(a self-signed identity is made on the appliance, GENERATE_NEW_CERT) [rule:D11]");
  // Rules D2 and D5: written again, each certificate its own file ending in exactly one
  // newline, whatever line ends or neighbours it had.
  ImportFiles files;
  files.identity_pem = leaf.ToPem();
  for (size_t i = 1; i < path->size(); ++i) files.ca_pems.push_back((*path)[i].ToPem());
  return files;
}

}  // namespace pkiform::dms
