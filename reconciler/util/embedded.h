// The data files of schema/ (JSON Schema, platform catalogue, country table),
// compiled into the binary by cmake/embed.cmake so pkiform needs no install tree.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace pkiform {

// `name` is the path below the source root, e.g. "schema/pkiform.schema.json".
std::optional<std::string_view> EmbeddedFile(std::string_view name);
std::vector<std::string_view> EmbeddedFileNames();

}  // namespace pkiform
