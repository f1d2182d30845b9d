#!/usr/bin/env bash
# Three nodes of one Cisco collaboration cluster (issue 9): a Unified CM publisher and
# subscriber (pkiform cluster `ucm`, product unified-cm) and an IM and Presence node, the
# IM and Presence database publisher (pkiform cluster `imp`, product im-and-presence), all
# simulated by pkiform-sim behind the real sshd in one topology. From factory state:
# plan -> apply (Unified CM: tomcat, CallManager, CAPF; IM and Presence: tomcat, cup,
# cup-xmpp, cup-xmpp-s2s, all from the RSA issuer; tomcat-ECDSA from the ECDSA one), each
# verified over TLS (cup on SIP TLS 5062, cup-xmpp and cup-xmpp-s2s after XMPP STARTTLS on
# 5222 and 5269) -> no changes -> renewal of the IM and Presence identities -> no changes
# -> a tomcat-trust addition on Unified CM replicates to its subscriber but not to the IM
# and Presence node (docs/platforms/ucm.md, "IM and Presence"), which takes its own ->
# pruning -> no changes -> OCSP enabled with a configured responder on Unified CM (U16) -> no
# changes.
# Usage: ucm_imp.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" cucm-pub.fleet.test=127.0.98.1:ucm:publisher,cucm-sub.fleet.test=127.0.98.2:ucm:subscriber,imp-pub.fleet.test=127.0.98.3:ucm:publisher:imAndPresence -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
PUB=127.0.98.1
SUB=127.0.98.2
IMP=127.0.98.3
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
apply() { $P apply -f manifests/ --no-color --auto-approve "$@"; }
RSA_ALGS=rsa_pss_rsae_sha256:rsa_pkcs1_sha256
# served ADDRESS PORT [OPENSSL S_CLIENT OPTIONS]: issuer and subject of what the node serves
# there, seen by openssl's own client (independent of pkiform's probe and its STARTTLS).
served() {
  local address=$1 port=$2; shift 2
  echo | timeout 10 openssl s_client -connect "$address:$port" -sigalgs $RSA_ALGS "$@" 2>/dev/null |
    openssl x509 -noout -issuer -subject
}
xmpp_fingerprint() {
  echo | timeout 10 openssl s_client -connect "$IMP:$FLEET_XMPP_CLIENT_PORT" -starttls xmpp -xmpphost imp-pub.fleet.test -sigalgs $RSA_ALGS \
    2>/dev/null | openssl x509 -noout -fingerprint -sha256
}
# in_store ADDRESS STORE: the trust files of one node's store, as the simulator keeps them.
in_store() { ls "$FLEET_HOSTS_DIR/$1/trust/$2/"; }

# 0. The topology: the IM and Presence node is listed beside the Unified CM nodes.
expect 0 "the repository has one cluster per product" -- $P validate -f manifests/ --no-color
contains "Cluster ucm [ucm, unified-cm 14SU1]"
contains "Cluster imp [ucm, im-and-presence 14SU1]"

# 1. From factory state.
expect 2 "the factory nodes need changes" -- plan
contains "+ identity cup"
contains "cluster-wide: reaches 2 nodes"
expect 0 "apply takes the three nodes to the manifests" -- apply
contains "imp-pub.fleet.test: verified: tomcat"
contains "imp-pub.fleet.test: verified: tomcat-ECDSA"
contains "imp-pub.fleet.test: verified: cup"
contains "imp-pub.fleet.test: verified: cup-xmpp"
contains "imp-pub.fleet.test: verified: cup-xmpp-s2s"
contains "cucm-sub.fleet.test: verified: CallManager"
lacks "installed: cup"
contains "Apply complete"
expect 0 "then the plan is empty" -- plan
contains "No changes."
expect 0 "the IM and Presence node serves cup on SIP TLS" -- served $IMP "$FLEET_CUP_SIP_TLS_PORT"
contains "pkiform fleet RSA CA"
contains "CN = imp-pub.fleet.test"
expect 0 "and cup-xmpp after XMPP client STARTTLS" -- served $IMP "$FLEET_XMPP_CLIENT_PORT" -starttls xmpp -xmpphost imp-pub.fleet.test
contains "pkiform fleet RSA CA"
expect 0 "and cup-xmpp-s2s after XMPP server STARTTLS" -- served $IMP "$FLEET_XMPP_SERVER_PORT" -starttls xmpp-server -xmpphost imp-pub.fleet.test
contains "pkiform fleet RSA CA"
expect 0 "and tomcat over HTTPS" -- served $IMP "$FLEET_HTTPS_PORT"
contains "pkiform fleet RSA CA"

# 2. Renewal of the IM and Presence identities: renew 800 days before expiry (the 730-day
# certificates are due at once), new ones of 1000 days.
sed -i -e 's/renewBefore: 60d/renewBefore: 800d/' -e 's/duration: 730d/duration: 1000d/' manifests/imp.yaml
expect 2 "renewBefore reached: the IM and Presence identities are renewed" -- plan
contains "imp-pub.fleet.test"
lacks "cucm-pub.fleet.test/identity"
before=$(xmpp_fingerprint)
expect 0 "the renewal is applied and verified" -- apply
contains "imp-pub.fleet.test: verified: cup-xmpp"
expect 0 "then nothing is left to do" -- plan
contains "No changes."
after=$(xmpp_fingerprint)
[ -n "$before" ] && [ -n "$after" ] && [ "$before" != "$after" ] && ok "cup-xmpp serves the renewed certificate" ||
  fail "cup-xmpp: before the renewal '$before', after '$after'"

# 3. tomcat-trust: replicated within Unified CM (U10), not to the IM and Presence node.
openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj "/CN=Partner Root CA/O=Partner" -days 365 \
  -out ca/partner.pem 2>/dev/null
add_partner() {
  python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("- store: tomcat-trust\n      certificates: [../ca/root.pem, ../ca/rsa.pem]",
              "- store: tomcat-trust\n      certificates: [../ca/root.pem, ../ca/rsa.pem, ../ca/partner.pem]\n      prune: true")
open(p, "w").write(s)
PY
}
drop_partner() { sed -i 's|\[../ca/root.pem, ../ca/rsa.pem, ../ca/partner.pem\]|[../ca/root.pem, ../ca/rsa.pem]|' "$1"; }
add_partner manifests/ucm.yaml
expect 2 "a new CA for Unified CM's tomcat-trust is one cluster-wide change" -- plan
contains "+ trust tomcat-trust  CN=Partner Root CA"
contains "Plan: 1 to add, 0 to change, 0 to remove"
expect 0 "it is applied on the Unified CM publisher" -- apply
contains "cucm-pub.fleet.test: + ucm/cucm-pub.fleet.test/trust/tomcat-trust/"
expect 0 "it has reached the subscriber" -- in_store $SUB tomcat-trust
contains "Partner_Root_CA.pem"
expect 0 "but not the IM and Presence node" -- in_store $IMP tomcat-trust
lacks "Partner_Root_CA.pem"
expect 0 "so both clusters are in sync" -- plan
contains "No changes."
# The IM and Presence cluster takes it by its own change while Unified CM drops it (one plan).
add_partner manifests/imp.yaml
drop_partner manifests/ucm.yaml
expect 2 "IM and Presence adds it on its publisher, Unified CM prunes it once" -- plan
contains "+ trust tomcat-trust  CN=Partner Root CA"
contains "- trust tomcat-trust  CN=Partner Root CA"
contains "Plan: 1 to add, 0 to change, 1 to remove"
expect 0 "both are applied" -- apply
contains "imp-pub.fleet.test: + imp/imp-pub.fleet.test/trust/tomcat-trust/"
expect 0 "it is gone from the Unified CM subscriber" -- in_store $SUB tomcat-trust
lacks "Partner_Root_CA.pem"
expect 0 "and is on the IM and Presence node" -- in_store $IMP tomcat-trust
contains "Partner_Root_CA.pem"
drop_partner manifests/imp.yaml
expect 0 "pruned from IM and Presence too" -- apply
expect 0 "every node is in sync" -- plan
contains "No changes."

# 4. OCSP (U16) on Unified CM: a setting change per node, made without a restart.
python3 - <<'PY'
p = "manifests/ucm.yaml"
s = open(p).read()
s = s.replace("  identity:\n", """  revocation:
    ocsp: {enabled: true, useCertificateUri: false, responder: http://ocsp.fleet.test/status, checkInterval: 12h}
  identity:
""", 1)
open(p, "w").write(s)
PY
expect 2 "OCSP is a setting change on each Unified CM node" -- plan
contains "~ setting ocsp.enabled"
contains "~ setting ocsp.responder"
contains "+ setting ocsp.checkInterval"
lacks "imp-pub.fleet.test: ~ setting"
contains "Plan: 2 to add, 6 to change, 0 to remove, 0 restarts."
expect 0 "it is applied" -- apply
expect 0 "and every node is in sync again" -- plan
contains "No changes."
finish
