// Fuzz target: what a VCS / Expressway prints back to the vcs provider (providers/vcs/):
// the admin shell's xACLI answers (xacli_text.h) and the root account's `tail` of the
// certificate files (cert_files.h). The first byte picks the reader, the rest is the
// output (for tail: the second byte is the exit status, stdout and stderr are split at the
// first NUL). The promises are the ones the provider relies on: parsed values are what the
// typed readings say they are (a time of day, plain distribution point words, at most the
// dialect's number of peers), a refusal never passes as a success, tail's four files come
// back in the dialect's order.
#include <algorithm>

#include "providers/cli/terminal_text.h"
#include "providers/vcs/cert_files.h"
#include "providers/vcs/dialect.h"
#include "providers/vcs/xacli_text.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace pkiform::vcs;
using pkiform::fuzz::Expect;

bool NoQuoteOrNewline(const std::string& s) {
  return s.find('"') == std::string::npos && s.find('\n') == std::string::npos;
}

void Tail(std::string_view raw, const Dialect& d) {
  if (raw.empty()) return;
  const int exit_status = static_cast<unsigned char>(raw[0]) % 3;
  raw.remove_prefix(1);
  size_t nul = raw.find('\0');
  std::string_view out = raw.substr(0, nul);
  std::string_view err = nul == std::string_view::npos ? std::string_view() : raw.substr(nul + 1);
  auto files = ParseTailOutput(out, err, exit_status, d);
  if (!files.ok()) return;
  Expect(files->size() == 4, "tail gives the four files");
  const auto paths = d.root.Files();
  for (size_t i = 0; i < files->size(); ++i) Expect((*files)[i].path == paths[i], "tail keeps the dialect's order");
  auto cf = InterpretCertFiles(*files, d);
  if (!cf.ok()) return;
  Expect(cf->server.has_value(), "interpreted files hold the server certificate");
  (void)IsTemporaryIdentity(*cf->server, cf->ca_list, d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view raw = pkiform::fuzz::AsText(data + 1, size - 1);
  const auto& dialect = BuiltinDialect();
  Expect(dialect.ok(), "the built-in dialect loads");
  const Dialect& d = *dialect;
  const std::string text = pkiform::cli::StripEcho(pkiform::cli::CleanOutput(raw), "xStatus SystemUnit");
  switch (data[0] % 8) {
    case 0:
      if (auto unit = ParseSystemUnit(text, d); unit.ok())
        Expect(NoQuoteOrNewline(unit->product) && NoQuoteOrNewline(unit->version) && NoQuoteOrNewline(unit->build),
               "SystemUnit values hold no quote or newline");
      break;
    case 1:
      if (auto alt = ParseAlternates(text, d); alt.ok()) {
        Expect(alt->peers.size() <= static_cast<size_t>(d.configuration.alternates.peers),
               "at most the dialect's peers");
        Expect(std::none_of(alt->peers.begin(), alt->peers.end(), [](const std::string& p) { return p.empty(); }),
               "no empty peer address");
      }
      break;
    case 2:
      if (auto crl = ParseCrlAutomatic(text, d); crl.ok()) {
        Expect(crl->update_time.size() == 5 && crl->update_time[2] == ':', "UpdateTime is HH:MM");
        for (const auto& p : crl->distribution_points)
          Expect(!p.empty() && p.find(' ') == std::string::npos, "a distribution point is one word");
      }
      break;
    case 3:
      (void)ParseSipTlsRevocation(text, d);
      break;
    case 4:
      if (auto r = ParseCommandResult(text, d); r.ok()) {
        pkiform::Status checked = CheckResult(*r, r->name, d);
        Expect(checked.ok() == r->ok, "a refusal never passes as a success");
      }
      break;
    case 5:
      Tail(raw, d);
      break;
    case 6:
      if (auto leaves = ParseLeaves(text, "*c xConfiguration"); leaves.ok())
        for (const auto& l : *leaves) {
          Expect(!l.name.empty() && l.name.find('\n') == std::string::npos, "a leaf name is one line");
          Expect(!l.quoted || l.value.find('"') == std::string::npos, "a quoted value holds no quote");
        }
      break;
    default:
      if (CheckQuotable("value", raw).ok())
        Expect(raw.find('"') == std::string_view::npos && raw.find('\n') == std::string_view::npos,
               "a quotable value holds no quote or newline");
      break;
  }
  return 0;
}
