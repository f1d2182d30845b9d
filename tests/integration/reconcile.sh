#!/usr/bin/env bash
# plan / apply / plan again against two nginx hosts, then one change at a time:
# each produces exactly the expected changes and restarts, and nothing else.
# Usage: reconcile.sh PKIFORM PKIFORM_FLEET
# The environment may set the hosts' addresses, WEB1_ADDRESS and WEB2_ADDRESS
# (default 127.0.79.11 and .12), and PKIFORM_FLEET_NO_SFTP=1 for a fleet without
# the SFTP subsystem: reconcile_no_sftp.sh runs these same checks that way.
: "${WEB1_ADDRESS:=127.0.79.11}" "${WEB2_ADDRESS:=127.0.79.12}"
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" "web1.fleet.test=$WEB1_ADDRESS,web2.fleet.test=$WEB2_ADDRESS" -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml

expect 2 "first plan has changes" -- $P plan --detailed-exitcode --no-color
contains "Plan: 4 to add, 0 to change, 0 to remove, 2 restarts."
expect 0 "apply" -- $P apply --auto-approve -v
contains "Apply complete: 4 changes applied on 2 peers."
# -v says how each host's files are written: over exec only when the host has no SFTP subsystem.
if [ "${PKIFORM_FLEET_NO_SFTP:-}" = 1 ]; then
  for h in web1:$WEB1_ADDRESS web2:$WEB2_ADDRESS; do
    contains "${h%%:*}.fleet.test (${h#*:}:$FLEET_SSH_PORT): the host has no SFTP subsystem; files are written over exec"
  done
else
  lacks "no SFTP subsystem"
fi
expect 0 "plan after apply: nothing to do" -- $P plan --detailed-exitcode
contains "No changes. The fleet matches the manifests."

# A real TLS client checks what nginx serves: it verifies against the CA, with the expected name.
for h in web1:$WEB1_ADDRESS web2:$WEB2_ADDRESS; do
  name=${h%%:*}.fleet.test addr=${h#*:}
  expect 0 "curl verifies $name against the CA" -- curl -sS --cacert ca/root.pem \
    --resolve "$name:$FLEET_NGINX_PORT:$addr" -o /dev/null "https://$name:$FLEET_NGINX_PORT/"
  expect 0 "openssl s_client sees the SAN of $name" -- sh -c "openssl s_client -connect $addr:$FLEET_NGINX_PORT \
    -servername $name -CAfile ca/root.pem -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -ext subjectAltName"
  contains "DNS:$name"
done

# A changed SAN: both identities replaced, both nginx reloaded, no trust change.
sed -i 's/      duration: 90d/      extraDnsNames: [www.fleet.test]\n      duration: 90d/' $M
expect 2 "a new SAN is a change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
contains "subject alternative names differ: missing www.fleet.test"
lacks "trust /srv"
expect 0 "apply the new SAN" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# An added trust CA: two additions, no identity change, no restart (the store has no update command).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca/extra.key -out ca/extra.pem \
  -subj "/CN=Extra Partner CA" -days 30 -addext basicConstraints=critical,CA:TRUE 2>/dev/null
sed -i 's|      certificates: \[../ca/root.pem\]|      certificates: [../ca/root.pem, ../ca/extra.pem]|' $M
expect 2 "an added CA is a change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 2 to add, 0 to change, 0 to remove, 0 restarts."
lacks "identity nginx"
expect 0 "apply the added CA" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# A removed trust CA with prune: two removals, nothing else.
sed -i 's|      certificates: \[../ca/root.pem, ../ca/extra.pem\]|      certificates: [../ca/root.pem]|' $M
expect 2 "a removed CA is a change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 0 to change, 2 to remove, 0 restarts."
expect 0 "apply the removal" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# An expiring certificate: a renewBefore longer than what is left (90d) renews both, and nothing else.
sed -i -e 's/      renewBefore: 30d/      renewBefore: 95d/' -e 's/      duration: 90d/      duration: 100d/' $M
expect 2 "a certificate within renewBefore is renewed" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
contains "within renewBefore 95d"
expect 0 "apply the renewal" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# --target narrows the plan to one peer.
sed -i 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, static.fleet.test]/' $M
expect 2 "--target plans one peer" -- $P plan --detailed-exitcode --no-color --target web/web1.fleet.test
contains "Plan: 0 to add, 1 to change, 0 to remove, 1 restart."
lacks "web2.fleet.test"

# --json is machine-readable.
expect 2 "--json" -- $P plan --json --detailed-exitcode
printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; p=json.load(sys.stdin); assert len(p["peers"]) == 2' \
  && ok "plan JSON parses with 2 peers" || fail "plan JSON"
finish
