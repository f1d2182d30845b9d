// Shared parts of the CLI dialect readers (dialect_text.h).
#include "providers/cli/dialect_text.h"

#include <algorithm>

#include "reconciler/util/embedded.h"

namespace pkiform::cli {

Result<std::string> Fill(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    size_t close = text.find('}', open);
    if (close == std::string_view::npos)
      return Status::InvalidInput("dialect text \"" + std::string(text) + "\": unclosed '{'");
    out.append(text.substr(i, open - i));
    std::string name(text.substr(open + 1, close - open - 1));
    auto it = values.find(name);
    if (it == values.end())
      return Status::InvalidInput("dialect text \"" + std::string(text) + "\": unknown placeholder {" + name + "}");
    out += it->second;
    i = close + 1;
  }
  return out;
}

Status ReadDialectFile(std::string_view file, std::string_view text, std::string_view name,
                       const std::function<void(catalogue::strict::Map& top)>& read) {
  namespace strict = catalogue::strict;
  strict::Errors errors{std::string(file)};
  auto doc = strict::LoadDocument(text, errors);
  if (!doc) return errors.status();
  strict::Map top(errors, *doc, "");
  if (top.String("dialect") != name) errors.Add(top.Child("dialect"), "dialect", "must be '" + std::string(name) + "'");
  read(top);
  top.Finish();
  return errors.status();
}

Result<std::string_view> EmbeddedDialectText(std::string_view file) {
  auto text = EmbeddedFile(file);
  if (!text) return Status::NotFound(std::string(file) + " is not embedded");
  return *text;
}

int PositiveInt(catalogue::strict::Map& m, std::string_view key) {
  int v = m.Int(key, 0);
  if (v <= 0) m.errors().Add(m.node()[std::string(key)], m.PathOf(key), "must be a positive integer");
  return v;
}

int TypeAheadBytes(catalogue::strict::Map& m) {
  int v = m.Int("typeAheadBytes", -1);
  if (v < 0 || v > kMaxTypeAheadBytes)
    m.errors().Add(m.node()["typeAheadBytes"], m.PathOf("typeAheadBytes"),
                   "must be a whole number from 0 (one command at a time) to " + std::to_string(kMaxTypeAheadBytes));
  return std::clamp(v, 0, kMaxTypeAheadBytes);
}

}  // namespace pkiform::cli
