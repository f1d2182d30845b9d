#!/usr/bin/env bash
# OCSP (U16) and the certificate monitor (U17) on a Unified CM cluster (publisher and
# subscriber simulated by pkiform-sim behind the real sshd; the CLI for these settings is
# ASSUMED, docs/platforms/ucm.md): from factory state the plan shows the setting changes
# of both nodes -> apply -> no changes -> a new OCSP responder and check interval in the
# manifest are exactly two setting changes per node -> apply -> no changes. The publisher is
# in Common Criteria mode: the plan carries the U16 warning for it. The manifest
# keeps only the settings (no identities, no trust stores), so the run stays short.
# Usage: ucm_settings.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$2" "$work/repo" cucm-pub.fleet.test=127.0.96.101:ucm:publisher,cucm-sub.fleet.test=127.0.96.102:ucm:subscriber -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
apply() { $P apply -f manifests/ --no-color --auto-approve "$@"; }

# Only the settings: drop the identities and trust stores the fleet wrote, add OCSP and the monitor.
python3 - <<'PY'
p = "manifests/ucm.yaml"
s = open(p).read()
s = s[:s.index("  identity:\n")]
s += """  revocation:
    ocsp:
      enabled: true
      useCertificateUri: false
      responder: http://ocsp.fleet.test/status
      checkInterval: 24h
  monitor:
    notifyBefore: 45d
    frequency: 12h
    email: [uc-team@fleet.test, pki@fleet.test]
"""
open(p, "w").write(s)
PY

# The publisher runs in Common Criteria mode (chosen at set-up: pkiform-sim init --common-criteria on
# writes the same line), where an OCSP answer Unknown fails the connection (U16): the plan says so.
echo "common-criteria=true" >"$FLEET_HOSTS_DIR/127.0.96.101/os-settings.conf"

# 1. From factory state: every setting the manifest gives that the node does not have.
expect 2 "the factory cluster needs the settings" -- plan
contains "note: warning: cucm-pub.fleet.test is in Common Criteria mode"
lacks "cucm-sub.fleet.test is in Common Criteria mode"
contains "~ setting ocsp.enabled"
contains "~ setting ocsp.useCertificateUri"
contains "~ setting ocsp.responder"
contains "+ setting ocsp.checkInterval"
contains "~ setting certificateMonitor.notifyBefore"
contains "~ setting certificateMonitor.frequency"
contains "~ setting certificateMonitor.email"
contains "Plan: 2 to add, 12 to change, 0 to remove"
expect 0 "apply sets them on both nodes" -- apply
contains "Apply complete"
expect 0 "then the plan is empty" -- plan
contains "No changes."

# 2. A new responder and interval: exactly those two settings, on each node.
sed -i 's|responder: http://ocsp.fleet.test/status|responder: https://ocsp2.fleet.test|; s|checkInterval: 24h|checkInterval: 6h|' \
  manifests/ucm.yaml
expect 2 "a new responder and interval are two changes per node" -- plan
contains "~ setting ocsp.responder"
contains "~ setting ocsp.checkInterval"
lacks "setting ocsp.enabled"
lacks "setting certificateMonitor"
contains "Plan: 0 to add, 4 to change, 0 to remove"
expect 0 "they are applied" -- apply
expect 0 "and the cluster is in sync" -- plan
contains "No changes."
finish
