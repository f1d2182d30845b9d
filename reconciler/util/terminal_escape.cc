#include "reconciler/util/terminal_escape.h"

#include "reconciler/util/utf8.h"

namespace pkiform {
namespace {

// The length of a UTF-8 sequence that may be printed as it is, or 0.
size_t PrintableSequenceLength(std::string_view s, size_t i) {
  const size_t len = Utf8SequenceLength(s, i);
  // C1 controls (U+0080..U+009F) are two-byte sequences C2 80..C2 9F: escape them too.
  if (len == 2 && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) return 0;
  return len;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text, Backslash backslash) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += backslash == Backslash::kDouble ? "\\\\" : "\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
      out += static_cast<char>(c);
    } else if (size_t len = c >= 0x80 ? PrintableSequenceLength(text, i) : 0) {
      out.append(text.substr(i, len));
      i += len;
      continue;
    } else {
      out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
    ++i;
  }
  return out;
}

}  // namespace pkiform
