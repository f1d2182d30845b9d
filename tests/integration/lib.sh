# Shared by the integration tests: assertions and helpers around the real
# pkiform binary, run inside pkiform_fleet (FLEET_DIR is the manifest repository).
set -u
fails=0
passes=0
ok() { passes=$((passes + 1)); echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, keeps its output in $out.
expect() {
  local want=$1 what=$2; shift 3
  out=$("$@" 2>&1); local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"; else fail "$what: exit $got, expected $want"; echo "$out"; fi
}
contains() { if printf '%s' "$out" | grep -qF -- "$1"; then ok "output has: $1"; else fail "output lacks: $1"; echo "$out"; fi; }
lacks() { if printf '%s' "$out" | grep -qF -- "$1"; then fail "output has: $1"; echo "$out"; else ok "output lacks: $1"; fi; }
# host_ssh ADDRESS COMMAND: a command on one simulated host.
host_ssh() {
  ssh -q -i "$FLEET_DIR/ssh/client_key" -p "$FLEET_SSH_PORT" -o BatchMode=yes \
    -o UserKnownHostsFile="$FLEET_DIR/ssh/known_hosts" -o StrictHostKeyChecking=yes pkiform-test@"$1" "$2"
}
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
