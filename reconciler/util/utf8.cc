#include "reconciler/util/utf8.h"

namespace pkiform {

size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;   // overlong
  if (c == 0xED && byte(i + 1) >= 0xA0) return 0;  // a UTF-16 surrogate
  if (c == 0xF0 && byte(i + 1) < 0x90) return 0;   // overlong
  if (c == 0xF4 && byte(i + 1) >= 0x90) return 0;  // past U+10FFFF
  return len;
}

std::optional<char32_t> DecodeUtf8(std::string_view s, size_t i, size_t* length) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *length = 1;
    return c;
  }
  const size_t len = Utf8SequenceLength(s, i);
  if (len == 0) return std::nullopt;
  char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *length = len;
  return cp;
}

}  // namespace pkiform
