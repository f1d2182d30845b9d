// Client authentication of an SshSession.
//
// Tries, in this order and only those configured in the SshTarget: the identity
// file (an encrypted one takes its passphrase only from the environment variable
// named by identityPassphraseEnv), the keys of ssh-agent, then a password read
// from an environment variable or a file (sent with "password" or answered to
// "keyboard-interactive" prompts, which many appliances use instead). When the
// target names none of them, OpenSSH's defaults: the agent when SSH_AUTH_SOCK is
// set, then ~/.ssh/id_ed25519, id_ecdsa and id_rsa (those that exist and are not
// encrypted: pkiform never prompts). When every method fails, the error names
// each one and why. Secrets never come from argv and never appear in messages;
// they are wiped after use.
#pragma once

#include <string>
#include <vector>

#include "providers/ssh/session.h"
#include "reconciler/pki/passphrase.h"
#include "reconciler/util/result.h"

namespace pkiform::ssh {

// Checks that the target's authentication settings are consistent.
Status ValidateAuthSettings(const SshTarget& target);

// Whether the target names no method, so that OpenSSH's defaults apply.
bool UsesDefaultAuthentication(const SshTarget& target);

// ~/.ssh/id_ed25519, id_ecdsa, id_rsa ($HOME, else the user's home directory).
std::vector<std::string> DefaultIdentityFiles();

// The password the target names (passwordEnv, else passwordFile), for another channel
// to the same appliance under the same login (ucm: its platform REST API's basic auth).
// InvalidInput when the target names no password.
Result<pki::SecretString> TargetPassword(const SshTarget& target);

// Authenticates the connected, host-key-verified `session`.
Status Authenticate(ssh_session session, const SshTarget& target, const std::string& peer);

}  // namespace pkiform::ssh
