#!/usr/bin/env bash
# Two simulated Cisco VCS peers (issue 10) in pkiform_fleet: the cluster manifest it
# writes (manifests/vcs.yaml, exactly, and valid), the root password file, and both doors of a peer over OpenSSH's own client: the admin xACLI on a PTY
# (exec refused) and the root account's exec requests.
# Needs a build with the pkiform-sim target (else pkiform_fleet stops: "no pkiform-sim").
# Usage: vcs_fleet.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" vcs-a.example.test=127.0.102.3:vcs,vcs-b.example.test=127.0.102.7:vcs:X8.1.1 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
cd "$FLEET_DIR" || exit 1
A=127.0.102.3

expected=$(cat <<YAML
# yaml-language-server: \$schema=../../schema/pkiform.schema.json
# Written by pkiform_fleet: Cisco VCS peers simulated by pkiform-sim on loopback.
apiVersion: pkiform/v1
kind: Cluster
metadata: {name: vcs}
spec:
  platform: vcs
  platformVersion: "X8.1.1"
  fqdn: vcs.example.test
  connection:
    user: $FLEET_UCM_USER
    port: $FLEET_SSH_PORT
    passwordFile: ../ssh/appliance-password
    knownHosts: ../ssh/known_hosts
    timeout: 60s
    root: {user: pkiform-vcsroot, passwordFile: ../ssh/root-password}
  peers:
    - {fqdn: vcs-a.example.test, address: 127.0.102.3}
    - {fqdn: vcs-b.example.test, address: 127.0.102.7}
  identity:
    - slot: server
      issuer: fleet-rsa-ca
      subject: {organization: Example Ltd, organizationalUnit: Collaboration, locality: London, state: England, country: GB}
      sans: per-peer
      key: {algorithm: rsa, size: 2048, location: appliance}
      duration: 730d
      renewBefore: 60d
  trust:
    - store: default
      certificates: [../ca/rsa.pem]
      prune: true
YAML
)
expect 0 "manifests/vcs.yaml is the vcs cluster, as written by pkiform_fleet" -- diff <(printf '%s\n' "$expected") manifests/vcs.yaml
expect 0 "pkiform validate accepts the repository" -- "$1" validate -q -f manifests/
expect 0 "the RSA issuer the vcs cluster names is written" -- grep -A3 'name: fleet-rsa-ca' manifests/issuers.yaml
contains "../ca/rsa.pem"
[ -f ca/rsa.pem ] && ok "ca/rsa.pem exists" || fail "no ca/rsa.pem"
[ "$(stat -c %a ssh/root-password)" = 600 ] && ok "the root password file is 0600" || fail "root password file mode"
[ "$FLEET_VCS_ROOT_PASSWORD_FILE" = "$FLEET_DIR/ssh/root-password" ] && [ "$FLEET_VCS_ROOT_USER" = pkiform-vcsroot ] &&
  ok "FLEET_VCS_ROOT_USER and FLEET_VCS_ROOT_PASSWORD_FILE" || fail "root login variables"

askpass_admin=$(mktemp); askpass_root=$(mktemp); trap 'rm -f "$askpass_admin" "$askpass_root"' EXIT
printf '#!/bin/sh\nexec cat "%s"\n' "$FLEET_UCM_PASSWORD_FILE" >"$askpass_admin"
printf '#!/bin/sh\nexec cat "%s"\n' "$FLEET_VCS_ROOT_PASSWORD_FILE" >"$askpass_root"
chmod 700 "$askpass_admin" "$askpass_root"
peer_ssh() {  # peer_ssh ASKPASS USER [SSH OPTIONS...] ADDRESS [COMMAND]: with that login's password
  local askpass=$1 user=$2; shift 2
  SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none ssh -p "$FLEET_SSH_PORT" -l "$user" \
    -o UserKnownHostsFile=ssh/known_hosts -o StrictHostKeyChecking=yes -o NumberOfPasswordPrompts=1 "$@"
}

expect 0 "the root login's exec prints the factory server certificate" -- \
  peer_ssh "$askpass_root" "$FLEET_VCS_ROOT_USER" -n -T $A "tail -n +1 /tandberg/persistent/certs/server.pem"
contains "-----BEGIN CERTIFICATE-----"
expect 1 "the admin login refuses exec" -- peer_ssh "$askpass_admin" "$FLEET_UCM_USER" -n -T $A "xStatus SystemUnit"
contains "exec requests are not supported"
xacli() { { sleep 1; printf 'xStatus SystemUnit\nxConfiguration Alternates\n'; sleep 1; printf 'bye\n'; } |
  peer_ssh "$askpass_admin" "$FLEET_UCM_USER" -tt $A 2>&1 | tr -d '\r'; }
expect 0 "the admin xACLI answers on a PTY" -- xacli
contains "TANDBERG Video Communication Server X8.1.1"
contains 'Software Version: "X8.1.1"'
contains 'Alternates Peer 1 Address: "127.0.102.7"'
finish
