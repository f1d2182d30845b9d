// The administrator credentials of a simulated Unified CM node, which its platform REST
// API checks (HTTP basic auth, rest_api.h). `pkiform-sim init --admin-password-file F`
// stores them in DIR/admin-credentials (0600): the user name, a random salt and the
// PBKDF2-HMAC-SHA256 of the password, never the password itself, so that nothing in the
// appliance directory, argv or a log holds it.
#pragma once
#include <filesystem>
#include <string>

#include "reconciler/util/result.h"

namespace pkiform::sim {

// Writes DIR/admin-credentials for `user` and `password`.
Status SaveAdminCredentials(const std::filesystem::path& dir, const std::string& user, const std::string& password);

// Whether `user` and `password` are the node's administrator credentials; false when
// the node has none (an appliance made without --admin-password-file).
bool CheckAdminCredentials(const std::filesystem::path& dir, const std::string& user, const std::string& password);

}  // namespace pkiform::sim
