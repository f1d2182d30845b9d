// Parsers of UCM CLI output (cli_text.h).
#include "providers/ucm/cli_text.h"

#include <algorithm>

namespace pkiform::ucm {
namespace {

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool IsName(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && std::all_of(s.begin(), s.end(), IsNameChar);
}

std::string_view Trim(std::string_view s) { return cli::TrimBlanks(s); }

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// "<unit>/<file>" with plain names, else nullopt.
std::optional<CertListEntry> SplitHandle(std::string_view handle) {
  size_t slash = handle.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view unit = handle.substr(0, slash), file = handle.substr(slash + 1);
  if (!IsName(unit) || !IsName(file)) return std::nullopt;
  return CertListEntry{std::string(unit), std::string(file), ""};
}

}  // namespace

std::vector<CertListEntry> ParseCertList(std::string_view text) {
  std::vector<CertListEntry> out;
  for (const auto& raw : Lines(text)) {
    std::string_view line = Trim(raw);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto entry = SplitHandle(line.substr(0, colon));
    if (!entry) continue;
    entry->description = std::string(Trim(line.substr(colon + 1)));
    out.push_back(std::move(*entry));
  }
  return out;
}

std::vector<CertListEntry> ParseCsrList(std::string_view text) {
  std::vector<CertListEntry> out;
  for (const auto& raw : Lines(text)) {
    std::string_view line = Trim(raw);
    if (line.size() < 5 || line.substr(line.size() - 4) != ".csr") continue;
    auto entry = SplitHandle(line);
    if (entry) out.push_back(std::move(*entry));
  }
  return out;
}

Result<std::string> ExtractPemBlock(std::string_view text, std::string_view label) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  std::string block;
  int found = 0;
  bool inside = false;
  for (const auto& raw : Lines(text)) {
    std::string_view line = Trim(raw);
    if (!inside && line == begin) {
      if (++found > 1) return Status::Failed("the node printed more than one " + std::string(label) + " block");
      inside = true;
      block = begin + "\n";
    } else if (inside) {
      block += std::string(line) + "\n";
      if (line == end) inside = false;
    }
  }
  if (found == 0) return Status::NotFound("the node printed no " + std::string(label) + " PEM block");
  if (inside) return Status::Failed("the node's " + std::string(label) + " PEM block is cut off");
  return block;
}

std::optional<std::string> ParseVersion(std::string_view text, std::string_view field) {
  for (const auto& raw : Lines(text)) {
    std::string_view line = Trim(raw);
    if (line.substr(0, field.size()) != field) continue;
    std::string_view value = Trim(line.substr(field.size()));
    auto fields = Fields(value);
    if (fields.size() == 1) return std::string(fields[0]);
  }
  return std::nullopt;
}

std::vector<ClusterNode> ParseCluster(std::string_view text, const Dialect& d) {
  std::vector<ClusterNode> out;
  const size_t needed = static_cast<size_t>(std::max({d.fqdn_field, d.role_field, d.type_field}));
  for (const auto& raw : Lines(text)) {
    auto fields = Fields(raw);
    if (fields.size() < needed) continue;
    auto field = [&](int n) { return fields[static_cast<size_t>(n - 1)]; };
    ClusterNode node;
    node.fqdn = std::string(field(d.fqdn_field));
    std::string_view role = field(d.role_field), type = field(d.type_field);
    node.role = role == d.publisher ? "publisher" : role == d.subscriber ? "subscriber" : "";
    node.node_type = type == d.unified_cm ? "unifiedCM" : type == d.im_and_presence ? "imAndPresence" : "";
    if (node.role.empty() && node.node_type.empty()) continue;  // not a node line
    out.push_back(std::move(node));
  }
  return out;
}

std::vector<ServiceState> ParseServiceStates(std::string_view text) {
  std::vector<ServiceState> out;
  for (const auto& raw : Lines(text)) {
    std::string_view line = Trim(raw);
    if (line.empty() || line.back() != ']') continue;
    size_t open = line.rfind('[');
    if (open == std::string_view::npos || open == 0) continue;
    std::string_view state = line.substr(open);
    if (!std::all_of(state.begin() + 1, state.end() - 1, [](char c) { return c >= 'A' && c <= 'Z'; })) continue;
    out.push_back({std::string(Trim(line.substr(0, open))), std::string(state)});
  }
  return out;
}

std::string LastState(const std::vector<ServiceState>& states, std::string_view service) {
  std::string last;
  for (const auto& s : states)
    if (s.service == service) last = s.state;
  return last;
}

Result<std::string> CliArgument(std::string_view value) {
  if (value.empty()) return Status::InvalidInput("an empty value cannot be given on the CLI");
  for (char c : value) {
    if (c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Status::InvalidInput("\"" + std::string(value) +
                                  "\": quotes and control characters cannot be given on the CLI");
  }
  if (value.find(' ') != std::string_view::npos) return "\"" + std::string(value) + "\"";
  return std::string(value);
}

}  // namespace pkiform::ucm
