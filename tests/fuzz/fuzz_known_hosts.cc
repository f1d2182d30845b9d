// Fuzz target: known_hosts files as users fill them (providers/ssh/known_hosts_file.h):
// parsing never fails hard, every entry that parses can be looked up, and lines
// pkiform writes for a key read back as that key under those names.
#include "providers/ssh/known_hosts_file.h"
#include "tests/fuzz/fuzz_input.h"

using pkiform::fuzz::Expect;
namespace ssh = pkiform::ssh;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = pkiform::fuzz::AsText(data, size);
  const ssh::KnownHosts known = ssh::ParseKnownHosts(text);
  const std::vector<std::string> names = {"[web2.example.test]:2222", "[127.0.1.2]:2222", "web1.example.test"};
  for (const auto& e : known.entries) {
    Expect(e.line > 0 && !e.key_type.empty() && !e.key_base64.empty(), "an entry has a line, a type and a key");
    const ssh::HostKey key{e.key_type, e.key_base64};
    const auto verdict = ssh::LookUpHostKey(known, names, key);
    (void)verdict;
    (void)ssh::RecordedKeyTypes(known, names);
    for (const auto& pattern : e.patterns)
      if (pattern.find_first_of("*?!") == std::string::npos) {
        // A plain name is found by the entry that names it (unless another pattern of it negates it).
        bool negated = false;
        for (const auto& p : e.patterns) negated |= !p.empty() && p[0] == '!';
        if (!negated) Expect(ssh::EntryNames(e, pattern), "an entry names its own plain pattern");
      }
  }
  if (!known.entries.empty()) {
    const auto& e = known.entries.front();
    for (bool hashed : {false, true}) {
      auto lines = ssh::KnownHostsLinesFor(names, {e.key_type, e.key_base64}, hashed);
      Expect(lines.ok(), "lines can be written for a parsed key");
      std::string written;
      for (const auto& l : *lines) written += l + "\n";
      const ssh::KnownHosts again = ssh::ParseKnownHosts(written);
      Expect(again.problems.empty(), "written lines parse");
      Expect(ssh::LookUpHostKey(again, names, {e.key_type, e.key_base64}).kind == ssh::HostKeyVerdict::Kind::kKnown,
             "a written key is known under its names");
    }
  }
  return 0;
}
