// The certificate files pkiform stages for IMPORT_CERTIFICATE, made from whatever it was
// handed (a CA's chain file with CR LF line ends, a concatenated bundle, DER): the appliance
// refuses anything but PEM (D1), anything after END but one newline (D2) and more than one
// certificate per file (D5), and it needs the whole chain up to the root (D11). So every
// certificate is parsed and written again, one per file, and the chain is put in order and
// checked complete before anything reaches the staging server. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reconciler/pki/certificate.h"
#include "reconciler/util/result.h"

namespace pkiform::dms {

struct ImportFiles {
  std::string identity_pem;          // the identity, PEM, one trailing newline
  std::vector<std::string> ca_pems;  // its issuer first, up to and including the root, one each
};

// `identity_text` is the identity (a bundle that starts with it gives its CAs too);
// `chain_texts` are the CA certificates in any order and form. CAs not on the identity's
// path are left out. InvalidInput, tagged with the rule, when the identity is missing or
// the path does not end at a self-signed root.
Result<ImportFiles> PrepareImportFiles(std::string_view identity_text, const std::vector<std::string>& chain_texts);

}  // namespace pkiform::dms
