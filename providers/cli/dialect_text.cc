// Shared parts of the CLI dialect readers (dialect_text.h).
#include "providers/cli/dialect_text.h"

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

int PositiveInt(catalogue::strict::Map& m, std::string_view key) {
  int v = m.Int(key, 0);
  if (v <= 0) m.errors().Add(m.node()[std::string(key)], m.PathOf(key), "must be a positive integer");
  return v;
}

}  // namespace pkiform::cli
