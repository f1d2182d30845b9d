#include "providers/openssh/script_output.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace pkiform::openssh {
namespace {

constexpr std::string_view kMarker = "@@pkiform ";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// "kind index state" -> section header; nullopt when malformed.
std::optional<ScriptSection> ParseMarker(std::string_view rest) {
  ScriptSection s;
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t end = rest.find(' ', pos);
    if (end == std::string_view::npos) end = rest.size();
    if (end > pos) words.push_back(rest.substr(pos, end - pos));
    pos = end + 1;
  }
  if (words.size() != 3) return std::nullopt;
  s.kind = std::string(words[0]);
  auto [p, ec] = std::from_chars(words[1].data(), words[1].data() + words[1].size(), s.index);
  if (ec != std::errc() || p != words[1].data() + words[1].size()) return std::nullopt;
  s.state = std::string(words[2]);
  return s;
}

}  // namespace

Result<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (IsSpace(c)) continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding) return Status::InvalidInput("invalid base64 data");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

Result<std::string> DecodeHex(std::string_view text) {
  std::string out;
  int high = -1;
  for (char c : text) {
    if (IsSpace(c)) {
      if (high >= 0) return Status::InvalidInput("invalid hex data: odd digit");
      continue;
    }
    int v = HexValue(c);
    if (v < 0) return Status::InvalidInput("invalid hex data");
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) return Status::InvalidInput("invalid hex data: odd digit");
  return out;
}

Result<std::vector<ScriptSection>> ParseScriptOutput(std::string_view out) {
  std::vector<ScriptSection> sections;
  std::vector<std::string> raw;  // encoded data of each section
  std::string encoding;
  bool ended = false;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t eol = out.find('\n', pos);
    if (eol == std::string_view::npos) eol = out.size();
    std::string_view line = out.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.substr(0, kMarker.size()) == kMarker) {
      auto marker = ParseMarker(line.substr(kMarker.size()));
      if (!marker) return Status::Failed("malformed marker line in the script output");
      if (ended) return Status::Failed("output after the end marker");
      if (marker->kind == "encoding") {
        if (marker->state != "b64" && marker->state != "hex")
          return Status::Failed("unknown encoding '" + marker->state + "' in the script output");
        encoding = marker->state;
        continue;
      }
      if (encoding.empty()) return Status::Failed("script output starts without its encoding marker");
      if (marker->kind == "end") {
        ended = true;
        continue;
      }
      sections.push_back(std::move(*marker));
      raw.emplace_back();
      continue;
    }
    if (encoding.empty()) continue;  // banner text before the script's first line
    bool blank = true;
    for (char c : line) blank = blank && IsSpace(c);
    if (blank) continue;
    if (ended || sections.empty()) return Status::Failed("unexpected text outside any section of the script output");
    raw.back().append(line).append("\n");
  }
  if (!ended) return Status::Failed("the script output is incomplete (no end marker)");
  for (size_t i = 0; i < sections.size(); ++i) {
    auto decoded = encoding == "b64" ? DecodeBase64(raw[i]) : DecodeHex(raw[i]);
    if (!decoded.ok())
      return decoded.status().WithContext("section '" + sections[i].kind + " " +
                                          std::to_string(sections[i].index) + "'");
    sections[i].data = std::move(decoded).value();
  }
  return sections;
}

}  // namespace pkiform::openssh
