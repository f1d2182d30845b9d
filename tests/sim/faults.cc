#include "tests/sim/faults.h"

#include "tests/sim/sim_files.h"

namespace pkiform::sim {
namespace {

int ToBoundedInt(const std::string& text) {
  try {
    long v = std::stol(text);
    return v < 0 ? 0 : (v > 600000 ? 600000 : static_cast<int>(v));
  } catch (...) {
    return 0;
  }
}

}  // namespace

Faults LoadFaults(const std::filesystem::path& applianceDir) {
  Faults f;
  auto text = ReadText(applianceDir / "faults");
  if (!text) return f;
  auto kv = ParseKeyValues(*text);
  if (auto it = kv.find("drop-at-command"); it != kv.end()) f.dropAtCommand = ToBoundedInt(it->second);
  if (auto it = kv.find("fail-restart"); it != kv.end()) f.failRestart = it->second;
  if (auto it = kv.find("slow-ms"); it != kv.end()) f.slowMs = ToBoundedInt(it->second);
  if (auto it = kv.find("no-prompt"); it != kv.end()) f.noPrompt = it->second == "1" || it->second == "true";
  return f;
}

}  // namespace pkiform::sim
