#!/usr/bin/env bash
# Release differences on Unified CM (issue 9): a 14 node (before 14SU1: `set csr gen`
# asks no "Include OU in CSR" question, and CallManager also restarts Cisco CTIManager,
# U13) and a 14SU2 node (from 14SU2 the CLI refuses multi-SAN imports, U15: a per-peer
# certificate still goes through it) are each taken from factory state to the manifests.
# Usage: ucm_releases.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # One fleet per release: pkiform_fleet writes one ucm cluster, whose platformVersion is its publisher's release.
  for release in 14 14SU2; do
    case $release in 14) address=127.0.95.11 ;; *) address=127.0.95.12 ;; esac
    RELEASE=$release "$2" "$work/repo-$release" "cucm-pub.fleet.test=$address:ucm:publisher:unifiedCM:$release" -- \
      "$0" "$1" "$2" || exit 1
  done
  exit 0
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
echo "== release $RELEASE"
expect 2 "release $RELEASE: the factory node needs changes" -- plan
if [ "$RELEASE" = 14 ]; then
  contains "Cisco CTIManager"
else
  lacks "Cisco CTIManager"
fi
expect 0 "release $RELEASE: apply installs every identity and verifies it" -- $P apply -f manifests/ --no-color --auto-approve
contains "verified: tomcat"
contains "verified: CallManager"
contains "Apply complete"
expect 0 "release $RELEASE: then nothing is left to do" -- plan
contains "No changes."
finish
