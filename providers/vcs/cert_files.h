// The certificate files of a VCS as the root account's `tail -n +1 <server.pem> <ca.pem>
// <pending csr.pem> <manual crl>` prints them (coreutils tail: a "==> <path> <==" header
// before each readable file, a blank line between files, one "cannot open" line on stderr
// per missing file), and what they say: the installed server certificate, the trusted CA
// list, whether a CSR is pending (V4), the uploaded CRL (V11), and whether the server
// certificate is still the factory's temporary identity (V17). Pure functions on untrusted
// output; the caller bounds its size (RootDialect::max_read_bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/vcs/dialect.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/util/result.h"

namespace pkiform::vcs {

// One file of the read: its bytes verbatim when it was printed, nullopt when tail said it
// does not exist.
struct FileText {
  std::string path;
  std::optional<std::string> content;
};

// The four files in RootDialect::Files() order. Every file must be accounted for exactly
// once (printed, or reported missing on stderr); a file tail could not read for another
// reason ("Permission denied"), any other stderr line, and an exit status other than 0 (all
// printed) or 1 (some missing) are errors quoting what the VCS said.
Result<std::vector<FileText>> ParseTailOutput(std::string_view out, std::string_view err, int exit_status,
                                              const Dialect& d);

// What the files hold, parsed.
struct CertFiles {
  std::optional<pki::Certificate> server;  // server.pem (the installed, not necessarily active, one: V7)
  std::vector<pki::Certificate> ca_list;   // ca.pem, in list order
  std::optional<std::string> pending_csr;  // generated_csr/csr.pem: exactly while a CSR is pending (V4)
  std::optional<std::string> crl;          // crl/manual.pem: exactly while an uploaded CRL is present (V11)
};
// server.pem and ca.pem must exist; server.pem holds exactly one certificate; ca.pem any
// number, with any text between the PEM blocks (as OpenSSL reads it).
Result<CertFiles> InterpretCertFiles(const std::vector<FileText>& files, const Dialect& d);

// V17: the factory's temporary identity: the server certificate's issuer CN starts with the
// dialect's prefix ("Temporary CA ") and that issuer (same subject, and it issued the
// certificate) is in the CA list.
bool IsTemporaryIdentity(const pki::Certificate& server, const std::vector<pki::Certificate>& ca_list,
                         const Dialect& d);

}  // namespace pkiform::vcs
