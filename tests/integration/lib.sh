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
# openssl_ca_config NAME: `openssl ca` around the fleet's CA ca/NAME.pem and ca/NAME.key (a database and CRL
# numbers from 01 under ca/db, the configuration in ca/ca.cnf, a crl/ folder), for tests that make CRLs with
# `openssl ca -config ca/ca.cnf -gencrl`.
openssl_ca_config() {
  mkdir -p ca/db crl
  : > ca/db/index.txt
  echo 01 > ca/db/crlnumber
  cat > ca/ca.cnf <<EOF
[ ca ]
default_ca = fleet
[ fleet ]
database = $FLEET_DIR/ca/db/index.txt
crlnumber = $FLEET_DIR/ca/db/crlnumber
certificate = $FLEET_DIR/ca/$1.pem
private_key = $FLEET_DIR/ca/$1.key
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid
EOF
}
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
