#include "reconciler/util/excerpt.h"

namespace pkiform {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string Excerpt(std::string_view value, size_t max) {
  if (value.size() <= max) return std::string(value);
  const std::string middle = "...(" + std::to_string(value.size()) + " bytes)...";
  // Two thirds of what is left for the start, one third for the end.
  size_t room = max > middle.size() ? max - middle.size() : 0;
  size_t head = room * 2 / 3, tail_start = value.size() - (room - head);
  while (head > 0 && IsContinuation(value[head])) --head;
  while (tail_start < value.size() && IsContinuation(value[tail_start])) ++tail_start;
  return std::string(value.substr(0, head)) + middle + std::string(value.substr(tail_start));
}

}  // namespace pkiform
