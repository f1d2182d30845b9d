#!/usr/bin/env bash
# Two simulated Cisco DMS appliances (issue 11) in pkiform_fleet: the cluster manifest it writes
# (manifests/dms.yaml, exactly, and valid: every dms host, staging on the first openssh host, which is
# not the first host given), the RSA issuer, the staging password and keystore passphrase files (0600,
# in no manifest), the staging host's key in known_hosts under its address, and the staging login
# itself: OpenSSH's own sftp, with the password file (SSH_ASKPASS), writes a file into the staging
# folder as the staging user. Also: pkiform_fleet refuses dms hosts without an openssh host.
# A non-default HTTPS port, so the peers carry httpsPort.
# Needs a build with the pkiform-sim target (else pkiform_fleet stops: "no pkiform-sim").
# Usage: dms_fleet.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  PKIFORM_FLEET_HTTPS_PORT=9443 "$2" "$work/repo" \
    dms-a.example.test=127.0.104.202:dms,stage.example.test=127.0.104.201,web.example.test=127.0.104.204,dms-b.example.test=127.0.104.203:dms \
    -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
cd "$FLEET_DIR" || exit 1

expect 0 "pkiform validate accepts the repository" -- "$1" validate -f manifests/
contains "Cluster dms [dms 5.2.1]"
contains "peers: dms-a.example.test dms-b.example.test"
contains "identity identity: issuer fleet-rsa-ca, RSA 2048, key on appliance"
STAGE=127.0.104.201  # the first openssh host given: the staging server

expected=$(cat <<YAML
# yaml-language-server: \$schema=../../schema/pkiform.schema.json
# Written by pkiform_fleet: Cisco DMS Show and Share appliances simulated by pkiform-sim on loopback,
# staging their files on the openssh host $STAGE.
apiVersion: pkiform/v1
kind: Cluster
metadata: {name: dms}
spec:
  platform: dms
  platformVersion: "5.2.1"
  connection: {user: $FLEET_UCM_USER, port: $FLEET_SSH_PORT, passwordFile: ../ssh/appliance-password, knownHosts: ../ssh/known_hosts, timeout: 60s}
  peers:
    - {fqdn: dms-a.example.test, address: 127.0.104.202, httpsPort: 9443}
    - {fqdn: dms-b.example.test, address: 127.0.104.203, httpsPort: 9443}
  staging:
    host: $STAGE
    port: $FLEET_SSH_PORT
    user: pkiform-staging
    path: /srv/pkiform-host/staging
    passwordFile: ../ssh/staging-password
    keystorePassphraseFile: ../ssh/keystore-passphrase
  identity:
    - slot: identity
      issuer: fleet-rsa-ca
      subject: {organization: Example Ltd, organizationalUnit: Video Services, locality: London, state: England, country: GB}
      sans: per-peer
      key: {algorithm: rsa, size: 2048, location: appliance}
      duration: 365d
      renewBefore: 45d
YAML
)
expect 0 "manifests/dms.yaml is the dms cluster, as written by pkiform_fleet" -- diff <(printf '%s\n' "$expected") manifests/dms.yaml
expect 0 "the RSA issuer the dms cluster names is written" -- grep -A3 'name: fleet-rsa-ca' manifests/issuers.yaml
contains "../ca/rsa.pem"

for f in staging-password keystore-passphrase; do
  [ "$(stat -c %a ssh/$f)" = 600 ] && ok "ssh/$f is 0600" || fail "ssh/$f mode $(stat -c %a ssh/$f)"
done
[ "$FLEET_DMS_KEYSTORE_PASSPHRASE_FILE" = "$FLEET_DIR/ssh/keystore-passphrase" ] &&
  ok "FLEET_DMS_KEYSTORE_PASSPHRASE_FILE" || fail "FLEET_DMS_KEYSTORE_PASSPHRASE_FILE is '$FLEET_DMS_KEYSTORE_PASSPHRASE_FILE'"
[ "$FLEET_DMS_STAGING_PASSWORD_FILE" = "$FLEET_DIR/ssh/staging-password" ] && [ "$FLEET_DMS_STAGING_USER" = pkiform-staging ] &&
  [ "$FLEET_DMS_STAGING_DIR" = /srv/pkiform-host/staging ] && ok "FLEET_DMS_STAGING_USER, _PASSWORD_FILE and _DIR" ||
  fail "staging variables"
passphrase=$(cat ssh/keystore-passphrase)
[[ $passphrase =~ ^[A-Za-z0-9]{24}$ ]] && [ "$(wc -l <ssh/keystore-passphrase)" = 1 ] &&
  ok "the keystore passphrase is 24 letters and digits on one line" || fail "keystore passphrase format"
password=$(cat ssh/staging-password)
expect 1 "neither the staging password nor the keystore passphrase is in a manifest" -- \
  grep -rlF -e "$password" -e "$passphrase" manifests/
expect 0 "known_hosts holds the staging host's key under its address and the SSH port" -- \
  ssh-keygen -F "[$STAGE]:$FLEET_SSH_PORT" -f ssh/known_hosts
contains "ssh-ed25519"

# The staging login over SFTP with the password file, as pkiform and the appliance use it (D16).
# OpenSSH's sftp takes the password from SSH_ASKPASS; not `sftp -b`, which forbids password prompts.
askpass=$(mktemp); probe=$(mktemp); trap 'rm -f "$askpass" "$probe"' EXIT
printf '#!/bin/sh\nexec cat "%s"\n' "$FLEET_DMS_STAGING_PASSWORD_FILE" >"$askpass"
chmod 700 "$askpass"
echo "staged by dms_fleet.sh" >"$probe"
staging_sftp() {
  printf 'cd %s\nput %s probe.txt\nls -l probe.txt\n' "$FLEET_DMS_STAGING_DIR" "$probe" |
    SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none sftp -P "$FLEET_SSH_PORT" \
      -o User="$FLEET_DMS_STAGING_USER" -o UserKnownHostsFile=ssh/known_hosts -o StrictHostKeyChecking=yes \
      -o NumberOfPasswordPrompts=1 -o PubkeyAuthentication=no "$STAGE"
}
expect 0 "the staging login writes into the staging folder over SFTP with the password file" -- staging_sftp
contains "Uploading $probe to /srv/pkiform-host/staging/probe.txt"
staged=$FLEET_HOSTS_DIR/$STAGE/staging/probe.txt
[ "$(cat "$staged" 2>/dev/null)" = "staged by dms_fleet.sh" ] && [ "$(stat -c %U "$staged")" = pkiform-staging ] &&
  ok "the file is in the staging host's staging/, owned by the staging user" || fail "no staged file at $staged"

expect 1 "pkiform_fleet refuses dms hosts without an openssh host" -- "$2" "$FLEET_DIR/none" dms-c.example.test=127.0.104.205:dms -- true
contains "needs an openssh host"
[ ! -e "$FLEET_DIR/none" ] && ok "and writes nothing" || fail "$FLEET_DIR/none exists"
finish
