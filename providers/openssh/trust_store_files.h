// openssh trust stores on the host: a bundle file (every CA in one PEM file) or
// a directory of one PEM file per CA, named by the user's `store` path. What
// pkiform writes into a directory is `pkiform-<first 16 hex digits of the
// SHA-256 fingerprint, lowercase>.crt`, mode 0644; a bundle keeps its mode and
// owner when rewritten.
#pragma once

#include <string>
#include <string_view>

#include "reconciler/util/result.h"

namespace pkiform::openssh {

inline constexpr int kTrustFileMode = 0644;

// Absolute and free of NUL bytes (a directory may end in '/').
Status CheckStorePath(const std::string& store);

// "pkiform-0a1b2c3d4e5f6a7b.crt" for fingerprint "0A:1B:2C:...".
std::string DirectoryEntryNameFor(std::string_view fingerprintSha256);

// `dir` + "/" + `name`, without doubling a trailing slash.
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace pkiform::openssh
