// Fuzz target: what a Unified CM node's CLI prints back to the ucm provider
// (providers/ucm/cli_text.h). The first byte picks the reader, the rest is the
// node's output. The promises are the ones the provider relies on: cleaned output
// holds no control bytes but newline and tab (it is quoted in errors), list entries
// are plain names (they are typed back into `show cert trust <store>/<file>` and
// `set cert delete`), an extracted PEM block is exactly one block.
#include <algorithm>

#include "providers/ucm/cli_text.h"
#include "providers/ucm/dialect.h"
#include "reconciler/pki/certificate.h"
#include "reconciler/pki/csr.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace pkiform::ucm;
using pkiform::fuzz::Expect;

bool Plain(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         std::none_of(name.begin(), name.end(), [](char c) { return c == ' ' || c == '"' || c < 0x20 || c == 0x7f; });
}

void Entries(const std::vector<CertListEntry>& entries) {
  for (const auto& e : entries) {
    Expect(Plain(e.unit), "a listed unit is a plain name");
    Expect(Plain(e.file), "a listed file is a plain name");
    Expect(e.Handle() == e.unit + "/" + e.file, "a handle is unit/file");
  }
}

void Pem(std::string_view output, const char* label) {
  auto block = ExtractPemBlock(output, label);
  if (!block.ok()) return;
  const std::string begin = std::string("-----BEGIN ") + label + "-----\n";
  const std::string end = std::string("-----END ") + label + "-----\n";
  Expect(block->rfind(begin, 0) == 0, "a PEM block starts with its BEGIN line");
  Expect(block->size() >= end.size() && block->compare(block->size() - end.size(), end.size(), end) == 0,
         "a PEM block ends with its END line");
  if (std::string_view(label) == "CERTIFICATE") (void)pkiform::pki::Certificate::FromPem(*block);
  else (void)pkiform::pki::Csr::FromPem(*block);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view raw = pkiform::fuzz::AsText(data + 1, size - 1);
  const std::string output = CleanOutput(raw);
  Expect(std::none_of(output.begin(), output.end(),
                      [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f; }),
         "cleaned output holds no control bytes but newline and tab");
  const auto& dialect = BuiltinDialect();
  Expect(dialect.ok(), "the built-in dialect loads");
  switch (data[0] % 8) {
    case 0: (void)StripEcho(output, "show cert list own"); break;
    case 1: Entries(ParseCertList(output)); break;
    case 2: Entries(ParseCsrList(output)); break;
    case 3: Pem(output, "CERTIFICATE"); break;
    case 4: Pem(output, "CERTIFICATE REQUEST"); break;
    case 5:
      (void)ParseVersion(output, dialect->version_field);
      for (const auto& node : ParseCluster(output, *dialect)) (void)node;
      break;
    case 6:
      for (const auto& s : ParseServiceStates(output)) (void)LastState({s}, s.service);
      break;
    default: {
      if (auto arg = CliArgument(output); arg.ok())
        Expect(arg->find('"') == std::string::npos || arg->front() == '"', "a CLI argument is plain or quoted whole");
      break;
    }
  }
  return 0;
}
