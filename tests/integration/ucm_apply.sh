#!/usr/bin/env bash
# A Cisco Unified CM cluster (publisher and subscriber, simulated by pkiform-sim behind
# the real sshd) taken from factory state to the manifests and kept there (issue 9):
# plan -> apply (tomcat, CallManager, CAPF from the RSA issuer, tomcat-ECDSA from the
# ECDSA one, each verified over TLS) -> no changes -> a trust addition and its pruning,
# made once and replicated (U10) -> a replacement whose Tomcat restart fails on the
# subscriber (the cluster stops, the publisher stays verified, the plan had said the
# imports cannot be rolled back, U8) -> the next apply converges -> no changes.
# Usage: ucm_apply.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" cucm-pub.fleet.test=127.0.95.1:ucm:publisher,cucm-sub.fleet.test=127.0.95.2:ucm:subscriber -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
PUB=127.0.95.1
SUB=127.0.95.2
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
apply() { $P apply -f manifests/ --no-color --auto-approve "$@"; }
# served ADDRESS PORT SIGALGS: the issuer of what the node serves there (openssl's own client).
served_issuer() { echo | timeout 10 openssl s_client -connect "$1:$2" -sigalgs "$3" 2>/dev/null | openssl x509 -noout -issuer -subject; }
RSA_ALGS=rsa_pss_rsae_sha256:rsa_pkcs1_sha256
EC_ALGS=ECDSA+SHA256

# 1. From factory state.
expect 2 "the factory cluster needs changes" -- plan
contains "cluster-wide: reaches 2 nodes"
contains "(also copied to CallManager-trust)"
contains "cannot be rolled back: an import overwrites the identity and deletes its CSR (U8)"
contains "-/+ identity CAPF"
contains "Run a new system backup"
expect 0 "apply takes the cluster to the manifests" -- apply
contains "verified: tomcat"
contains "verified: CallManager"
contains "verified: tomcat-ECDSA"
contains "Apply complete"
expect 0 "then the plan is empty" -- plan
contains "No changes."
expect 0 "the subscriber serves tomcat from the RSA issuer" -- served_issuer $SUB "$FLEET_HTTPS_PORT" $RSA_ALGS
contains "pkiform fleet RSA CA"
expect 0 "and tomcat-ECDSA from the ECDSA issuer" -- served_issuer $SUB "$FLEET_HTTPS_PORT" $EC_ALGS
contains "CN = pkiform fleet CA"
expect 0 "the publisher serves CallManager on SIP TLS" -- served_issuer $PUB "$FLEET_SIP_TLS_PORT" $RSA_ALGS
contains "pkiform fleet RSA CA"

# 2. A trust addition to tomcat-trust is made once, on the publisher, and replicates (U10).
openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj "/CN=Partner Root CA/O=Partner" -days 365 \
  -out ca/partner.pem 2>/dev/null
python3 - <<'PY'
import re
p = "manifests/ucm.yaml"
s = open(p).read()
s = s.replace("- store: tomcat-trust\n      certificates: [../ca/root.pem, ../ca/rsa.pem]",
              "- store: tomcat-trust\n      certificates: [../ca/root.pem, ../ca/rsa.pem, ../ca/partner.pem]\n      prune: true")
open(p, "w").write(s)
PY
expect 2 "a new CA for tomcat-trust is one cluster-wide change" -- plan
contains "+ trust tomcat-trust  CN=Partner Root CA"
contains "cluster-wide: reaches 2 nodes"
contains "Plan: 1 to add, 0 to change, 0 to remove"
expect 0 "it is applied on the publisher" -- apply
contains "cucm-pub.fleet.test: + ucm/cucm-pub.fleet.test/trust/tomcat-trust/"
lacks "cucm-sub.fleet.test: + ucm/cucm-sub.fleet.test/trust"
expect 0 "and has reached the subscriber: nothing left to do" -- plan
contains "No changes."
python3 - <<'PY'
p = "manifests/ucm.yaml"
s = open(p).read()
s = s.replace("[../ca/root.pem, ../ca/rsa.pem, ../ca/partner.pem]", "[../ca/root.pem, ../ca/rsa.pem]")
open(p, "w").write(s)
PY
expect 2 "dropping it from the manifest prunes it once, cluster-wide" -- plan
contains "- trust tomcat-trust  CN=Partner Root CA"
contains "Plan: 0 to add, 0 to change, 1 to remove"
expect 0 "the deletion is applied" -- apply
expect 0 "and is gone from every node" -- plan
contains "No changes."

# 3. A replacement whose Tomcat restart fails on the subscriber.
sed -i '0,/organizationalUnit: Collaboration/s//organizationalUnit: Voice/' manifests/ucm.yaml
echo "fail-restart=Cisco Tomcat" >"$FLEET_HOSTS_DIR/$SUB/faults"
expect 2 "a new OU replaces tomcat on both nodes" -- plan
contains "OU is 'Collaboration', want 'Voice'"
expect 1 "the subscriber's Tomcat does not come back: apply fails" -- apply
contains "cucm-pub.fleet.test: verified: tomcat"
contains "restart Cisco Tomcat: the service ended [FAILED]"
contains "left in place, cannot be rolled back: ucm/cucm-sub.fleet.test/identity/tomcat"
rm -f "$FLEET_HOSTS_DIR/$SUB/faults"
expect 2 "the next plan restarts the stopped service" -- plan
contains "Cisco Tomcat is not running"
expect 0 "the next apply converges" -- apply
expect 0 "and the cluster is in sync" -- plan
contains "No changes."
expect 0 "the subscriber serves the new tomcat" -- served_issuer $SUB "$FLEET_HTTPS_PORT" $RSA_ALGS
contains "OU = Voice"
finish
