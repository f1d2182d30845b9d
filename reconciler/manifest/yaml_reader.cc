#include "reconciler/manifest/yaml_reader.h"

#include <yaml-cpp/depthguard.h>

#include <cctype>
#include <cstdio>
#include <optional>

#include "reconciler/manifest/yaml_limits.h"
#include "reconciler/manifest/yaml_loop_guard.h"
#include "reconciler/util/input_limits.h"
#include "reconciler/util/utf8.h"

namespace pkiform {
namespace {

// YAML 1.2 (5.1) allows tab, line breaks and printable characters; the C0 and C1
// controls, DEL and the non-characters U+FFFE and U+FFFF may only be written as
// escapes in double-quoted scalars.
bool IsYamlPrintable(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return true;
  if (c < 0x20 || c == 0x7F) return false;
  if (c >= 0x80 && c <= 0x9F) return c == 0x85;
  return c != 0xFFFE && c != 0xFFFF;
}

std::string CharacterName(char32_t c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  if (c == 0) return std::string(hex) + " (NUL)";
  if (c == 0x1B) return std::string(hex) + " (ESC)";
  return hex;
}

// The first reason `text` is not YAML text pkiform reads, located; or nullopt.
std::optional<Diagnostic> CheckText(const std::string& text, const std::string& file) {
  const auto starts = [&](std::string_view bom) { return text.compare(0, bom.size(), bom) == 0; };
  if (starts(std::string_view("\x00\x00\xFE\xFF", 4)) || starts(std::string_view("\xFF\xFE\x00\x00", 4)))
    return Diagnostic{Severity::kError, {file, 1, 1}, "not UTF-8: the file starts with a UTF-32 byte order mark; "
                                                      "save it as UTF-8", "yaml"};
  if (starts("\xFE\xFF") || starts("\xFF\xFE"))
    return Diagnostic{Severity::kError, {file, 1, 1}, "not UTF-8: the file starts with a UTF-16 byte order mark; "
                                                      "save it as UTF-8", "yaml"};
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    std::optional<char32_t> c = DecodeUtf8(text, i, &len);
    // Built only for a diagnostic: a location copies the file name, and this loop visits every character.
    const auto at = [&] { return SourceLocation{file, line, static_cast<int>(i - line_start) + 1}; };
    if (!c) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[i]));
      return Diagnostic{Severity::kError, at(), std::string("not UTF-8: byte ") + hex + " does not start a UTF-8 "
                                              "character here; manifests are UTF-8 text", "yaml"};
    }
    if (!IsYamlPrintable(*c))
      return Diagnostic{Severity::kError, at(), "invalid YAML: control character " + CharacterName(*c) +
                                              " in the text; YAML allows it only as an escape in double quotes "
                                              "(e.g. \"\\x1b\")", "yaml"};
    if (*c == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += len;
  }
  return std::nullopt;
}

std::string YamlErrorText(const YAML::Exception& e) {
  std::string msg = e.msg;
  if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
  return "invalid YAML: " + msg;
}

bool HasTabIndentation(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t i = pos;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && text[i] == '\t') return true;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return false;
}

}  // namespace

bool CheckYamlText(const std::string& text, const std::string& file, DiagnosticList& out) {
  if (auto bad = CheckText(text, file)) {
    out.Add(*bad);
    return false;
  }
  return true;
}

void AddNoDocumentError(const std::string& file, DiagnosticList& out) {
  out.Error({file, 0, 0}, "no YAML document in this file (it is empty or holds only comments); a manifest holds "
                          "Issuer and Cluster documents",
            "yaml");
}

std::vector<std::string> SplitYamlPieces(const std::string& text, size_t pieces) {
  struct Start {
    size_t offset;
    size_t line_breaks_before;
  };
  std::vector<Start> starts;
  size_t breaks = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] == '%') return {text};  // a directive: its document must not be cut from it
    if (pos > 0 && text.compare(pos, 3, "---") == 0 &&
        (pos + 3 == text.size() || text[pos + 3] == '\n' || text[pos + 3] == '\r' || text[pos + 3] == ' ' ||
         text[pos + 3] == '\t'))
      starts.push_back({pos, breaks});
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    ++breaks;
    pos = nl + 1;
  }
  std::vector<std::string> out;
  if (pieces < 2 || starts.empty()) return {text};
  const size_t target = text.size() / pieces + 1;
  size_t from = 0, from_breaks = 0;
  for (const Start& s : starts) {
    if (s.offset - from < target) continue;
    out.push_back(std::string(from_breaks, '\n') + text.substr(from, s.offset - from));
    from = s.offset;
    from_breaks = s.line_breaks_before;
  }
  out.push_back(std::string(from_breaks, '\n') + text.substr(from));
  return out;
}

bool ReadYamlPiece(const std::string& piece, const std::string& file, DiagnosticList& out,
                   std::vector<YamlDocument>& docs, size_t& parsed) {
  std::vector<YAML::Node> nodes;
  try {
    if (ProbeDocuments(piece, file)) return false;
    nodes = YAML::LoadAll(piece);
  } catch (const YAML::Exception&) {
    return false;
  }
  parsed = nodes.size();
  for (const auto& node : nodes) {
    if (node.IsNull()) continue;
    docs.push_back({node, CheckYamlLimits(node, file, out)});
  }
  return true;
}

std::vector<YamlDocument> ReadYamlDocuments(const std::string& text, const std::string& file, DiagnosticList& out,
                                            bool text_checked) {
  if (!text_checked && !CheckYamlText(text, file, out)) return {};
  std::vector<YAML::Node> nodes;
  try {
    if (auto stuck = ProbeDocuments(text, file)) {
      out.Add(*stuck);
      return {};
    }
    nodes = YAML::LoadAll(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (about 1,000 levels of flow or 500 of block nesting)
    // reports "bad file"; say what it means.
    out.Error({file, e.mark.line + 1, e.mark.column + 1},
              "invalid YAML: nested too deeply for the YAML parser (mappings and sequences more than " +
                  std::to_string(limits::kNestingDepth) + " levels deep are refused anyway)",
              "yaml");
    return {};
  } catch (const YAML::Exception& e) {
    std::string message = YamlErrorText(e);
    if (HasTabIndentation(text)) message += " (a tab indents a line; YAML indents with spaces only)";
    out.Error({file, e.mark.line + 1, e.mark.column + 1}, message, "yaml");
    return {};
  }
  std::vector<YamlDocument> docs;
  for (const auto& node : nodes) {
    if (node.IsNull()) continue;  // an empty document between two `---`
    docs.push_back({node, CheckYamlLimits(node, file, out)});
  }
  if (docs.empty()) AddNoDocumentError(file, out);
  return docs;
}

}  // namespace pkiform
