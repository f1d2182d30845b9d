// Self-signing the pending CSR on the host (self_sign_script.h).
#include "providers/openssh/self_sign_script.h"

#include "providers/openssh/shell_quote.h"
#include "providers/openssh/slot_files.h"

namespace pkiform::openssh {

long ValidityDays(std::chrono::seconds validity) {
  constexpr long kDay = 24 * 3600;
  return static_cast<long>((validity.count() + kDay - 1) / kDay);
}

Result<std::string> BuildSelfSignScript(const std::string& privateKey, std::chrono::seconds validity,
                                        const std::string& serialHex) {
  if (validity.count() < 1) return Status::InvalidInput("a self-signed certificate needs a positive validity");
  if (serialHex.empty() || serialHex.size() > 40 ||
      serialHex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    return Status::InvalidInput("serial '" + serialHex + "' is not 1 to 40 hex digits");

  std::string script;
  script += "umask 077\n";
  script += "n=" + ShellQuote(PendingKeyPathOf(privateKey)) + "\n";
  script += "c=" + ShellQuote(PendingCsrPathOf(privateKey)) + "\n";
  script += "days=" + std::to_string(ValidityDays(validity)) + "\n";
  script += "serial=0x" + serialHex + "\n";
  // The extension file comes on stdin (a fixed here-document), so the host's
  // openssl.cnf cannot add anything; the CSR's extensions are copied as pkiform made them.
  script += R"SH(
command -v openssl >/dev/null 2>&1 || { echo 'openssl is not installed on the host' >&2; exit 127; }
[ -f "$n" ] || { echo "no pending key at $n (GenerateCsr makes it)" >&2; exit 3; }
[ -f "$c" ] || { echo "no pending CSR at $c (GenerateCsr makes it)" >&2; exit 3; }
t=$(mktemp) || exit 1
openssl x509 -req -in "$c" -signkey "$n" -days "$days" -set_serial "$serial" -copy_extensions copyall \
  -extfile /dev/stdin -extensions pkiform_self_signed -out "$t" <<'PKIFORM_OPENSSL_CONFIG' >/dev/null || { s=$?; rm -f "$t"; exit $s; }
[ pkiform_self_signed ]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
PKIFORM_OPENSSL_CONFIG
mark certificate 0 present
enc <"$t"
rm -f "$t"
finish
)SH";
  return script;
}

}  // namespace pkiform::openssh
