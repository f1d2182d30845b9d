#!/usr/bin/env bash
# What a new user does on ordinary hosts (issue 7): known_hosts filled by
# ssh-keyscan by address, hashed (HashKnownHosts yes), or recorded by
# --accept-new-host-keys; a connection that names only the user, relying on
# OpenSSH's default identity files.
# Usage: new_user.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" web1.fleet.test=127.0.85.11,web2.fleet.test=127.0.85.12 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
KH=ssh/known_hosts
A1=127.0.85.11 A2=127.0.85.12 PORT=$FLEET_SSH_PORT

# known_hosts as `ssh-keyscan -p PORT ADDRESS` writes it: only the addresses.
ssh-keyscan -t ed25519 -p "$PORT" $A1 $A2 2>/dev/null > $KH
grep -q "fleet.test" $KH && fail "keyscan by address should not name the FQDN" || ok "known_hosts holds only addresses"
expect 2 "plan with host keys recorded by address" -- $P plan --detailed-exitcode --no-color

# Hashed, as HashKnownHosts yes (Debian's default for ~/.ssh/known_hosts) writes them.
ssh-keyscan -H -t ed25519 -p "$PORT" $A1 $A2 2>/dev/null > $KH
grep -q "127.0.85" $KH && fail "hashed entries should not show the address" || ok "known_hosts is hashed"
expect 2 "plan with hashed host keys" -- $P plan --detailed-exitcode --no-color

# A different key under the FQDN beside the right one under the address: refused.
ssh-keygen -q -t ed25519 -N '' -f impostor_key
echo "[web1.fleet.test]:$PORT $(cut -d' ' -f1,2 impostor_key.pub)" >> $KH
expect 1 "a changed key under the FQDN is refused" -- $P plan --accept-new-host-keys
contains "host key for [web1.fleet.test]:$PORT"
contains "has changed"
contains "$KH:3"

# Recorded by --accept-new-host-keys: under the FQDN and the address; OpenSSH finds both.
: > $KH
expect 2 "plan --accept-new-host-keys" -- $P plan --detailed-exitcode --accept-new-host-keys
for name in "[web1.fleet.test]:$PORT" "[$A1]:$PORT" "[web2.fleet.test]:$PORT" "[$A2]:$PORT"; do
  ssh-keygen -F "$name" -f $KH >/dev/null && ok "ssh-keygen -F finds $name" || fail "ssh-keygen -F lacks $name"
done
expect 2 "then the keys are known" -- $P plan --detailed-exitcode

# A connection with only `user`: OpenSSH's defaults (the agent, ~/.ssh/id_ed25519, id_ecdsa, id_rsa).
sed -i 's|identityFile: ../ssh/client_key, ||' $M
grep -q identityFile $M && fail "identityFile still in the manifest" || ok "the connection names no authentication"
expect 0 "validate accepts a connection with only the user" -- $P validate -q
home=$(mktemp -d)
mkdir -m 700 "$home/.ssh"
expect 1 "without any default key, plan fails" -- env -u SSH_AUTH_SOCK HOME="$home" $P plan
contains "ssh-agent (SSH_AUTH_SOCK is not set)"
contains "publickey with $home/.ssh/id_ed25519 (no such file)"
contains "publickey with $home/.ssh/id_rsa (no such file)"
cp ssh/client_key "$home/.ssh/id_ed25519"
expect 0 "apply with the default identity file" -- env -u SSH_AUTH_SOCK HOME="$home" $P apply --auto-approve
expect 0 "then nothing to do" -- env -u SSH_AUTH_SOCK HOME="$home" $P plan --detailed-exitcode
rm -rf "$home"
finish
