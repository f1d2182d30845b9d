#!/usr/bin/env bash
# `pkiform import` of a reconciled openssh host, vcs peer, ucm publisher and dms appliance (pkiform-sim):
# the manifest it writes validates, and `plan` with it finds nothing to change; a host
# whose certificate comes from an issuer the repository lacks has that slot listed as not
# expressed, never guessed.
# Usage: import.sh PKIFORM PKIFORM_FLEET
# Loopback block 127.0.108.x only.
WEB1_ADDRESS=127.0.108.11 WEB2_ADDRESS=127.0.108.12 VCS_ADDRESS=127.0.108.21 CM_ADDRESS=127.0.108.31 DMS_ADDRESS=127.0.108.41
P=$1 FLEET=$2
[ -n "${FLEET_DIR:-}" ] || {
  # The fleet runs this script again inside it; the trap outlives the fleet and removes the repository (CA key).
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$FLEET" "$work/repo" "web1.fleet.test=$WEB1_ADDRESS,web2.fleet.test=$WEB2_ADDRESS,vcs-a.fleet.test=$VCS_ADDRESS:vcs,cm1.fleet.test=$CM_ADDRESS:ucm,dms1.fleet.test=$DMS_ADDRESS:dms" -- "$0" "$P" "$FLEET"
  exit
}
. "$(dirname "$0")/lib.sh" && cd "$FLEET_DIR" || exit 1

expect 0 "apply the fleet's manifests" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# What the admin knows of the hosts: the login, the slot's files, the reload command, the trust bundle.
user=$(sed -n 's/.*connection: {user: \([^,]*\),.*/\1/p' manifests/web.yaml)
reload=$(sed -n 's/^      reload: //p' manifests/web.yaml)
T=/srv/pkiform-host/tls
import_host() {  # import_host FQDN ADDRESS ARGS...: the command line for one fleet host
  local fqdn=$1 address=$2; shift 2
  $P import --platform openssh --host "$address" --fqdn "$fqdn" --port "$FLEET_SSH_PORT" --user "$user" \
    --identity-file ssh/client_key --known-hosts ssh/known_hosts \
    --slot "nginx:$T/server.pem:$T/server.key:$T/chain.pem:$T/fullchain.pem" \
    --trust /srv/pkiform-host/trust/corp-bundle.pem --reload "$reload" --verify-port "$FLEET_NGINX_PORT" "$@"
}

# A reconciled host: every slot and store expressed, and plan agrees.
mkdir imported imported-dms
expect 0 "import web1" -- import_host web1.fleet.test "$WEB1_ADDRESS" --cluster web1 -f manifests/issuers.yaml \
  -o imported/web1.yaml
contains "imported 1 identity slot(s) and 1 trust store(s)"
contains "0 item(s) not expressed"
out=$(cat imported/web1.yaml)
contains "# Imported by \`pkiform import\` from web1.fleet.test ($WEB1_ADDRESS:$FLEET_SSH_PORT)"
contains "# identity slot nginx: $T/server.pem (key $T/server.key): serial "
contains "# trust store /srv/pkiform-host/trust/corp-bundle.pem: 1 certificate -> web1.trust1.pem"
contains "- {fqdn: web1.fleet.test, address: $WEB1_ADDRESS}"
contains "issuer: fleet-ca"
contains "subject: {organization: Example Ltd, country: GB}"
contains "key: {algorithm: ecdsa, curve: P-256, location: appliance}"
contains "duration: 90d"
contains "renewBefore: 30d"
contains "identityFile: ../ssh/client_key"
contains "certificates: [web1.trust1.pem]"
lacks "Not expressed"
out=$(ls -A imported/)
lacks ".import-"  # the manifest is checked under a hidden name, then renamed into place
cmp -s imported/web1.trust1.pem ca/root.pem && ok "the trust file holds the fleet CA" || fail "trust file differs from ca/root.pem"
expect 0 "the imported manifest validates" -- $P validate -f manifests/issuers.yaml -f imported/
expect 0 "plan with the imported manifest: no changes" -- $P plan -f manifests/issuers.yaml -f imported/ \
  --detailed-exitcode --no-color
contains "No changes."

# A vcs peer: the catalogue's slot and store; the release and the root login come from the command line.
expect 0 "import the vcs peer" -- $P import --platform vcs --host "$VCS_ADDRESS" --fqdn vcs-a.fleet.test \
  --port "$FLEET_SSH_PORT" --user "$FLEET_UCM_USER" --password-file ssh/appliance-password \
  --known-hosts ssh/known_hosts --root-user "$FLEET_VCS_ROOT_USER" --root-password-file ssh/root-password \
  --platform-version X8.1.1 --cluster-fqdn vcs.fleet.test --cluster vcs-a -f manifests/issuers.yaml \
  -o imported/vcs-a.yaml
contains "imported 1 identity slot(s) and 1 trust store(s)"
contains "0 item(s) not expressed"
out=$(cat imported/vcs-a.yaml)
contains "platformVersion: X8.1.1"
contains "fqdn: vcs.fleet.test"
contains "root: {user: $FLEET_VCS_ROOT_USER, passwordFile: ../ssh/root-password}"
contains "issuer: fleet-rsa-ca"
contains "subject: {organization: Example Ltd, organizationalUnit: Collaboration, locality: London, state: England, country: GB}"
contains "key: {algorithm: rsa, size: 2048, location: appliance}"
contains "duration: 730d"
contains "store: default"
contains "certificates: [vcs-a.trust1.pem]"
cmp -s imported/vcs-a.trust1.pem ca/rsa.pem && ok "the vcs CA list is the fleet's RSA CA" || fail "vcs trust file differs"
# A ucm publisher: the catalogue's slots and stores of its node type; product, role and release from the node.
expect 0 "import the ucm publisher" -- $P import --platform ucm --host "$CM_ADDRESS" --fqdn cm1.fleet.test \
  --port "$FLEET_SSH_PORT" --user "$FLEET_UCM_USER" --password-file ssh/appliance-password \
  --known-hosts ssh/known_hosts --cluster cm1 -f manifests/issuers.yaml -o imported/cm1.yaml
ucm_out=$out
out=$(cat imported/cm1.yaml)
contains "product: unified-cm"
contains "platformVersion: 14SU1"
contains "- {fqdn: cm1.fleet.test, address: $CM_ADDRESS, role: publisher}"
for slot in tomcat CallManager CAPF; do
  printf '%s' "$out" | grep -A1 -x -- "    - slot: $slot" | grep -qx "      issuer: fleet-rsa-ca" \
    && ok "ucm slot $slot from fleet-rsa-ca" || { fail "ucm slot $slot"; echo "$out"; }
done
printf '%s' "$out" | grep -A1 -x -- "    - slot: tomcat-ECDSA" | grep -qx "      issuer: fleet-ca" \
  && ok "ucm slot tomcat-ECDSA from fleet-ca" || fail "ucm slot tomcat-ECDSA"
contains "store: CallManager-trust"
lacks "slot: cup"  # IM and Presence slots are not this node type's
out=$ucm_out
expect 0 "the imported manifests validate" -- $P validate -f manifests/issuers.yaml -f imported/
expect 0 "plan with all three: no changes" -- $P plan -f manifests/issuers.yaml -f imported/ --detailed-exitcode --no-color
contains "No changes."
expect 1 "vcs without --platform-version is refused" -- $P import --platform vcs --host "$VCS_ADDRESS" \
  --fqdn vcs-a.fleet.test --root-password-file ssh/root-password -f manifests/issuers.yaml
contains "--platform-version is required for vcs"

# Nothing is replaced without --force, and nothing is asked of the host before that is known.
expect 1 "an existing manifest is not replaced" -- import_host web1.fleet.test "$WEB1_ADDRESS" --cluster web1 \
  -f manifests/issuers.yaml -o imported/web1.yaml
contains "imported/web1.yaml exists; give --force to replace it"
expect 0 "--force replaces it" -- import_host web1.fleet.test "$WEB1_ADDRESS" --cluster web1 -f manifests/issuers.yaml \
  -o imported/web1.yaml --force

# A repository without the host's issuer: the slot is listed as not expressed, the rest imported.
mkdir -p other/ca other/manifests
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other/ca/other.key \
  -out other/ca/other.pem -subj "/CN=Other CA" -days 30 -addext basicConstraints=critical,CA:TRUE 2>/dev/null
cat > other/manifests/issuers.yaml <<'YAML'
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: other-ca}
spec:
  ca: {certificate: ../ca/other.pem, privateKey: ../ca/other.key}
YAML
expect 0 "import web2 against a repository without its issuer" -- import_host web2.fleet.test "$WEB2_ADDRESS" \
  --cluster web2 -f other/manifests/issuers.yaml -o other/manifests/web2.yaml
contains "not expressed: identity slot nginx"
contains "issued by 'CN=pkiform fleet CA"
contains "1 item(s) not expressed"
out=$(cat other/manifests/web2.yaml)
contains "# Not expressed: found on the host, left out of this manifest (never guessed):"
contains "#   - identity slot nginx ($T/server.pem (key $T/server.key): serial "
lacks "issuer: fleet-ca"
lacks "identity:"
contains "certificates: [web2.trust1.pem]"
expect 0 "what was expressed validates" -- $P validate -f other/manifests/
expect 0 "and plan finds nothing to change in it" -- $P plan -f other/manifests/ --detailed-exitcode

# What import cannot do is refused by name.
expect 1 "a slot without --reload is refused" -- $P import --platform openssh --host "$WEB1_ADDRESS" \
  --fqdn web1.fleet.test --slot "nginx:$T/server.pem:$T/server.key" -f manifests/issuers.yaml
contains "--reload 'CMD' is required with --slot on openssh"
expect 1 "an address without --fqdn is refused" -- $P import --platform openssh --host "$WEB1_ADDRESS" \
  --trust /srv/pkiform-host/trust/corp-bundle.pem -f manifests/issuers.yaml
contains "is an address: give the peer's name with --fqdn"
expect 1 "a platform pkiform does not know is refused" -- $P import --platform ios --host "$WEB1_ADDRESS" --fqdn x.fleet.test
contains "import --platform ios: not a platform; import reads openssh, vcs, ucm and dms hosts"
expect 1 "dms without a staging server is refused" -- $P import --platform dms --host "$DMS_ADDRESS" \
  --fqdn dms1.fleet.test -f manifests/issuers.yaml
contains "dms moves every file through a staging server (D16)"
expect 1 "dms without a keystore passphrase is refused" -- $P import --platform dms --host "$DMS_ADDRESS" \
  --fqdn dms1.fleet.test --staging-host "$WEB1_ADDRESS" --staging-user u --staging-path /srv/x \
  --staging-password-file ssh/staging-password -f manifests/issuers.yaml
contains "EXPORT_KEYSTORE first (D14)"

# A dms appliance: the catalogue's identity slot from VIEW_CERT_CHAIN; the staging server (D16) and the
# keystore passphrase (D14) from the command line, as the manifest needs them for apply.
expect 0 "import the dms appliance" -- $P import --platform dms --host "$DMS_ADDRESS" --fqdn dms1.fleet.test \
  --port "$FLEET_SSH_PORT" --user "$FLEET_UCM_USER" --password-file ssh/appliance-password \
  --known-hosts ssh/known_hosts --platform-version 5.2.1 --cluster dms1 \
  --staging-host "$WEB1_ADDRESS" --staging-port "$FLEET_SSH_PORT" --staging-user "$FLEET_DMS_STAGING_USER" \
  --staging-path "$FLEET_DMS_STAGING_DIR" --staging-password-file ssh/staging-password \
  --keystore-passphrase-file ssh/keystore-passphrase -f manifests/issuers.yaml -o imported-dms/dms1.yaml
contains "imported 1 identity slot(s) and 0 trust store(s)"
contains "0 item(s) not expressed"
out=$(cat imported-dms/dms1.yaml)
contains "platform: dms"
contains "platformVersion: 5.2.1"
contains "issuer: fleet-rsa-ca"
contains "subject: {organization: Example Ltd, organizationalUnit: Video Services, locality: London, state: England, country: GB}"
contains "key: {algorithm: rsa, size: 2048, location: appliance}"
contains "keystorePassphraseFile: ../ssh/keystore-passphrase"
contains "path: $FLEET_DMS_STAGING_DIR"
expect 0 "the imported dms manifest validates" -- $P validate -f manifests/issuers.yaml -f imported-dms/
expect 0 "plan with it: no changes" -- $P plan -f manifests/issuers.yaml -f imported-dms/ --detailed-exitcode --no-color
contains "No changes."
finish
