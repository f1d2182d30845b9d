// Client authentication of an SshSession.
//
// Tries, in this order and only those configured in the SshTarget: the identity
// file (an encrypted one takes its passphrase only from the environment variable
// named by identityPassphraseEnv), the keys of ssh-agent, then a password read
// from an environment variable or a file (sent with "password" or answered to
// "keyboard-interactive" prompts, which many appliances use instead). Secrets
// never come from argv and never appear in messages; they are wiped after use.
#pragma once

#include <string>

#include "providers/ssh/session.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

// Checks that the target names at least one authentication method.
Status ValidateAuthSettings(const SshTarget& target);

// Authenticates the connected, host-key-verified `session`.
Status Authenticate(ssh_session session, const SshTarget& target, const std::string& peer);

}  // namespace pkiform::ssh
