#include "providers/openssh/identity_scripts.h"

#include <charconv>

#include "providers/openssh/remote_script.h"
#include "providers/openssh/script_output.h"
#include "providers/openssh/shell_quote.h"

namespace pkiform::openssh {
namespace {

constexpr std::string_view kPrepareFunctions = R"SH(
umask 077
fail() { printf '%s\n' "$*" >&2; exit 3; }
refuse() { mark refuse 0 "$1"; finish; exit 0; }
have_openssl() { command -v openssl >/dev/null 2>&1; }
keydigest() {
  openssl pkey -in "$1" -passin pass: -pubout -outform DER </dev/null 2>/dev/null |
    openssl dgst -sha256 -r 2>/dev/null | { read -r d rest; printf '%s' "$d"; }
}
backup() {
  if [ -e "$2" ] || [ -L "$2" ]; then
    rm -f "$2.pkiform-backup.tmp" &&
      cp -p "$2" "$2.pkiform-backup.tmp" && mv -f "$2.pkiform-backup.tmp" "$2.pkiform-backup" ||
      { rm -f "$2.pkiform-backup.tmp"; fail "cannot back up $2"; }
    mark backup "$1" saved
  else
    mark backup "$1" absent
  fi
}
)SH";

std::optional<uint32_t> ParseId(const std::string& s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string BuildPrepareScript(const PrepareRequest& request) {
  const SlotFileSet& f = request.files;
  std::string s(kPrepareFunctions);
  // Owner and group: names resolved on the host, numbers taken as they are.
  if (!f.owner.empty()) {
    s += "o=" + ShellQuote(f.owner) + "\n";
    s += R"SH(case "$o" in *[!0-9]*) u=$(id -u "$o" 2>/dev/null) || refuse noowner ;; *) u=$o ;; esac
mark owner 0 "$u"
)SH";
  }
  if (!f.group.empty()) {
    s += "g=" + ShellQuote(f.group) + "\n";
    s += R"SH(case "$g" in
  *[!0-9]*)
    gl=$(getent group "$g" 2>/dev/null) || gl=$(awk -F: -v g="$g" '$1 == g { print; exit }' /etc/group 2>/dev/null)
    gi=$(printf '%s' "$gl" | cut -d: -f3)
    [ -n "$gi" ] || refuse nogroup ;;
  *) gi=$g ;;
esac
mark group 0 "$gi"
)SH";
  }
  // The key that will be in place must belong to the certificate.
  const std::string digest = ShellQuote(request.certificate_key_digest);
  if (!f.private_key.empty() && request.key == KeySource::kPending) {
    s += "k=" + ShellQuote(f.private_key) + "\n";
    s += "n=" + ShellQuote(PendingKeyPathOf(f.private_key)) + "\n";
    s += "[ -f \"$n\" ] || refuse nopendingkey\n";
    s += "have_openssl || refuse noopenssl\n";
    s += "[ \"$(keydigest \"$n\")\" = " + digest + " ] || refuse pendingkeymismatch\n";
  } else if (!f.private_key.empty() && request.key == KeySource::kKeep) {
    s += "k=" + ShellQuote(f.private_key) + "\n";
    s += "[ -e \"$k\" ] || refuse nokey\n";
    s += "if have_openssl; then [ \"$(keydigest \"$k\")\" = " + digest + " ] || refuse keymismatch; fi\n";
  }
  for (size_t i = 0; i < request.replaced.size(); ++i)
    s += "backup " + std::to_string(i) + " " + ShellQuote(request.replaced[i]) + "\n";
  if (!f.private_key.empty() && request.key == KeySource::kPending) {
    s += R"SH(if [ -n "${u:-}" ] || [ -n "${gi:-}" ]; then
  chown "${u:-}${gi:+:$gi}" "$n" || fail "cannot change the owner of the pending key"
fi
chmod 600 "$n" || fail "cannot change the mode of the pending key"
mv -f "$n" "$k" || fail "cannot move the pending key into place"
)SH";
    s += "rm -f " + ShellQuote(PendingCsrPathOf(f.private_key)) + "\n";
    s += "mark keyinstalled 0 ok\n";
  }
  s += "finish\n";
  return s;
}

std::string RefusalMessage(const PrepareRequest& request, const std::string& refusal) {
  const SlotFileSet& f = request.files;
  if (refusal == "noowner") return "owner '" + f.owner + "' does not exist on the host";
  if (refusal == "nogroup") return "group '" + f.group + "' does not exist on the host";
  if (refusal == "nopendingkey")
    return "no pending key at " + PendingKeyPathOf(f.private_key) + " (GenerateCsr makes it; was it used already?)";
  if (refusal == "noopenssl") return "openssl is not installed on the host, so the pending key cannot be checked";
  if (refusal == "pendingkeymismatch")
    return "the pending key " + PendingKeyPathOf(f.private_key) + " does not belong to the certificate";
  if (refusal == "nokey") return "no private key at " + f.private_key;
  if (refusal == "keymismatch")
    return "the private key " + f.private_key + " does not belong to the certificate (or cannot be read)";
  return "refused (" + refusal + ")";
}

Result<PrepareOutcome> ReadPrepareOutput(const PrepareRequest& request, int exitStatus, std::string_view out,
                                         std::string_view err) {
  if (exitStatus != 0) {
    return Status::Failed("exit status " + std::to_string(exitStatus) + ": " + StderrTail(err));
  }
  auto sections = ParseScriptOutput(out);
  if (!sections.ok()) return sections.status();
  PrepareOutcome outcome;
  outcome.existed.assign(request.replaced.size(), false);
  std::vector<bool> reported(request.replaced.size(), false);
  for (const auto& s : *sections) {
    if (s.kind == "refuse") {
      outcome.refusal = s.state;
    } else if (s.kind == "owner") {
      outcome.uid = ParseId(s.state);
      if (!outcome.uid) return Status::Failed("owner '" + request.files.owner + "' resolved to '" + s.state + "'");
    } else if (s.kind == "group") {
      outcome.gid = ParseId(s.state);
      if (!outcome.gid) return Status::Failed("group '" + request.files.group + "' resolved to '" + s.state + "'");
    } else if (s.kind == "backup") {
      if (s.index < 0 || static_cast<size_t>(s.index) >= request.replaced.size())
        return Status::Failed("unexpected backup #" + std::to_string(s.index));
      outcome.existed[s.index] = s.state == "saved";
      reported[s.index] = true;
    } else if (s.kind == "keyinstalled") {
      outcome.pending_key_installed = true;
    }
  }
  if (outcome.refusal.empty()) {
    for (size_t i = 0; i < reported.size(); ++i)
      if (!reported[i]) return Status::Failed("no report on the backup of " + request.replaced[i]);
  }
  return outcome;
}

std::string BuildRestoreScript(const std::vector<std::pair<std::string, std::string>>& restore,
                               const std::vector<std::string>& created) {
  std::string s = R"SH(
restore() {
  if [ -e "$2" ]; then
    if mv -f "$2" "$3"; then mark restored "$1" ok; else mark restored "$1" failed; fi
  else
    mark restored "$1" missing
  fi
}
remove() { if rm -f "$2"; then mark removed "$1" ok; else mark removed "$1" failed; fi; }
)SH";
  for (size_t i = 0; i < restore.size(); ++i)
    s += "restore " + std::to_string(i) + " " + ShellQuote(restore[i].first) + " " + ShellQuote(restore[i].second) +
         "\n";
  for (size_t j = 0; j < created.size(); ++j) s += "remove " + std::to_string(j) + " " + ShellQuote(created[j]) + "\n";
  s += "finish\n";
  return s;
}

std::string BuildDiscardScript(const std::vector<std::string>& backups) {
  std::string s = "rm -f";
  for (const auto& b : backups) s += " " + ShellQuote(b);
  s += " || exit 1\nfinish\n";
  return s;
}

}  // namespace pkiform::openssh
