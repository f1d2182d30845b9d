#!/usr/bin/env bash
# The Unified CM platform REST API path (rule U15): a 14SU2 node whose tomcat manifest asks
# for several names besides the node's FQDN. The CLI can neither request such a CSR nor
# (from 14SU2) import the certificate, so pkiform makes the CSR and uploads the identity
# over HTTPS (basic auth with the CLI's password), restarts Cisco Tomcat over the CLI and
# verifies the multi-SAN certificate with a TLS handshake; the next plan has no changes.
# Usage: ucm_rest.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  PKIFORM_FLEET_TOMCAT_NAMES="uc.fleet.test,voice.fleet.test,cucm.fleet.test" \
    "$2" "$work/repo" "cucm-pub.fleet.test=127.0.97.60:ucm:publisher:unifiedCM:14SU2" -- "$0" "$1" "$2"
  exit $?
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
expect 2 "14SU2 multi-SAN tomcat: the factory node needs changes" -- plan
contains "tomcat"
expect 0 "apply: CSR and upload through the REST API, restart, verified over TLS" -- \
  $P apply -f manifests/ --no-color --auto-approve
contains "verified: tomcat"
contains "Apply complete"
expect 0 "then nothing is left to do" -- plan
contains "No changes."
# An independent TLS client: the served tomcat certificate carries every name.
served=$(echo | openssl s_client -connect 127.0.97.60:"$FLEET_HTTPS_PORT" -servername cucm-pub.fleet.test \
  -sigalgs "RSA+SHA256:rsa_pss_rsae_sha256" 2>/dev/null | openssl x509 -noout -ext subjectAltName 2>/dev/null)
out=$served
for name in cucm-pub.fleet.test uc.fleet.test voice.fleet.test cucm.fleet.test; do contains "DNS:$name"; done
finish
