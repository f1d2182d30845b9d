#!/usr/bin/env bash
# A fleet larger than the open-file limit (issue 13): plan, a first apply and an apply in sync of
# 40 peers run under `ulimit -n 40`. Plan closes each connection once its peer is observed; apply
# keeps only what the limit allows and closes each peer's connection once the executor is done
# with it, reconnecting the others when it reaches them.
# Usage: fd_limit.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  hosts=$(for i in $(seq 1 40); do printf "h%d.fleet.test=127.0.111.%d," "$i" "$i"; done)
  "$2" "$work/repo" "${hosts%,}" -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
limited() { (ulimit -n 40 && "$@"); }
expect 0 "plan of 40 peers under ulimit -n 40" -- limited $P plan --parallelism 8
contains "Plan: 80 to add"
expect 0 "apply of 40 peers under ulimit -n 40" -- limited $P apply --auto-approve --parallelism 8
contains "Apply complete: 80 changes applied on 40 peers."
expect 0 "apply in sync under ulimit -n 40" -- limited $P apply --auto-approve --parallelism 8
contains "No changes."
expect 0 "reconcile in sync under ulimit -n 40" -- limited $P reconcile --parallelism 8
finish
