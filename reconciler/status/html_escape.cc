#include "reconciler/status/html_escape.h"

#include "reconciler/util/utf8.h"

namespace pkiform::status {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

const char* Entity(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return nullptr;
  }
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (const char* e = Entity(text[i])) {
      out += e;
      ++i;
    } else if (b < 0x80) {
      // C0 controls and DEL are not allowed in HTML text.
      if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7f) out += kReplacement;
      else out += text[i];
      ++i;
    } else if (const size_t n = Utf8SequenceLength(text, i); n == 0) {
      out += kReplacement;
      ++i;
    } else {
      // C1 controls (U+0080..U+009F) are not allowed either.
      const bool c1 = n == 2 && b == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
      out += c1 ? std::string(kReplacement) : std::string(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace pkiform::status
