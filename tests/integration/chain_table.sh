#!/usr/bin/env bash
# Where the chain goes, end to end: issuers of depth 1 (the fleet's root CA), 2 (an
# intermediate under it) and 3 (two intermediates) times the openssh slot files
# (certificate alone; + chain; + fullchain; all four), one cluster of one nginx host
# per combination. apply, then plan finds nothing to do; every file holds what
# providers/openssh/slot_contents.h says, never the root; curl, trusting the root
# alone, verifies what nginx serves wherever nginx is given a file that holds the
# chain. nginx reads server.pem (certificate alone; + chain: the only file with the
# leaf) or fullchain.pem (the harness's default).
# Usage: chain_table.sh PKIFORM PKIFORM_FLEET
depths="1 2 3"
sets="cert chain full all"
address() { local n=0 s; for s in $sets; do n=$((n + 1)); [ "$s" = "$2" ] && echo "127.0.84.$1$n"; done; }
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  hosts=""
  for d in $depths; do for s in $sets; do hosts="$hosts${hosts:+,}d$d-$s.fleet.test=$(address $d $s)"; done; done
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" "$hosts" -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
T=/srv/pkiform-host/tls

# Two intermediates under the fleet's root: int1 (depth 2), int2 under int1 (depth 3).
mkca() {  # mkca NAME CN PARENT
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' >ca/ext
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "ca/$1.key" -subj "/O=Example Ltd/CN=$2" \
    2>/dev/null | openssl x509 -req -CA "ca/$3.pem" -CAkey "ca/$3.key" -CAcreateserial -days 365 -extfile ca/ext \
    -out "ca/$1.pem" 2>/dev/null
}
mkca int1 "pkiform fleet intermediate CA" root
mkca int2 "pkiform fleet team CA" int1
cat >>manifests/issuers.yaml <<'YAML'
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: fleet-int1}
spec:
  ca: {certificate: ../ca/int1.pem, chain: [../ca/root.pem], privateKey: ../ca/int1.key}
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: fleet-int2}
spec:
  ca: {certificate: ../ca/int2.pem, chain: [../ca/root.pem, ../ca/int1.pem], privateKey: ../ca/int2.key}
YAML
issuer() { case $1 in 1) echo fleet-ca ;; 2) echo fleet-int1 ;; 3) echo fleet-int2 ;; esac; }

# One cluster per combination, each with the fleet's connection and reload.
connection=$(grep '^  connection:' $M)
reload=$(grep '^      reload:' $M)
verify=$(grep '^      verify:' $M)
: >$M
for d in $depths; do for s in $sets; do
  files="        certificate: $T/server.pem"
  case $s in chain | all) files="$files"$'\n'"        chain: $T/chain.pem" ;; esac
  case $s in full | all) files="$files"$'\n'"        fullchain: $T/fullchain.pem" ;; esac
  # nginx has no file holding leaf and chain when the chain has its own file only:
  # pkiform's own TLS check after the reload would rightly fail there, so it is off.
  check=$verify; [ $s = chain ] && [ $d -gt 1 ] && check=""
  cat >>$M <<YAML
---
apiVersion: pkiform/v1
kind: Cluster
metadata: {name: d$d-$s}
spec:
  platform: openssh
$connection
  peers:
    - {fqdn: d$d-$s.fleet.test, address: $(address $d $s)}
  identity:
    - slot: nginx
      issuer: $(issuer $d)
      subject: {organization: Example Ltd}
      key: {algorithm: ecdsa, curve: P-256, location: appliance}
      duration: 90d
      files:
$files
        privateKey: $T/server.key
$reload
$check
YAML
  # The next reload (pkiform's, after it writes the files) makes nginx read server.pem.
  case $s in cert | chain)
    host_ssh "$(address $d $s)" "sed -i 's|$T/fullchain.pem|$T/server.pem|' /srv/pkiform-host/nginx/nginx.conf" ||
      fail "nginx.conf of d$d-$s" ;;
  esac
done; done

expect 2 "first plan: every combination to create" -- $P plan --detailed-exitcode --no-color
contains "Plan: 12 to add, 0 to change, 0 to remove, 12 restarts."
# validate (run by plan) says where the chain goes for the certificate-only slots of intermediate issuers.
int1="CN=pkiform fleet intermediate CA, O=Example Ltd" int2="CN=pkiform fleet team CA, O=Example Ltd"
contains "$T/server.pem will hold the certificate followed by the chain of issuer 'fleet-int1' ($int1)"
contains "$T/server.pem will hold the certificate followed by the chain of issuer 'fleet-int2' ($int2; $int1)"
lacks "issuer 'fleet-ca'"
expect 0 "apply" -- $P apply --auto-approve --no-color
contains "Apply complete: 12 changes applied on 12 peers."
expect 0 "plan after apply: nothing to do for any combination" -- $P plan --detailed-exitcode --no-color
contains "No changes. The fleet matches the manifests."

# certs ADDRESS SET FILE: how many certificates FILE holds on the host, or "absent" when the set
# does not name it (the harness's bootstrap fullchain.pem is there on every host).
certs() {
  case "$2:$3" in *:server.pem | chain:chain.pem | all:*.pem | full:fullchain.pem) ;; *) echo absent; return ;; esac
  host_ssh "$1" "grep -c 'BEGIN CERTIFICATE' $T/$3 || true"
}
root_line=$(sed -n 2p ca/root.pem)
for d in $depths; do for s in $sets; do
  a=$(address $d $s) name=d$d-$s.fleet.test
  cas=$((d - 1))  # what a server presents after the leaf: the intermediates, never the root
  want_cert=1; [ $s = cert ] && want_cert=$((1 + cas))
  want_chain=absent want_full=absent
  case $s in chain | all) want_chain=$cas ;; esac
  case $s in full | all) want_full=$((1 + cas)) ;; esac
  got="$(certs $a $s server.pem) $(certs $a $s chain.pem) $(certs $a $s fullchain.pem)"
  what="$name: certificates in server.pem, chain.pem, fullchain.pem:"
  [ "$got" = "$want_cert $want_chain $want_full" ] && ok "$what $got" ||
    fail "$what $got, want $want_cert $want_chain $want_full"
  out=$(host_ssh $a "cat $T/server.pem $T/chain.pem 2>/dev/null; [ $s = cert ] || [ $s = chain ] || cat $T/fullchain.pem")
  if printf '%s' "$out" | grep -qF -- "$root_line"; then fail "$name: a file holds the root"
  else ok "$name: no file holds the root"; fi
  # curl trusts the root alone. With the chain in its own file only, nginx (given server.pem)
  # cannot send the intermediates: there curl must fail, which shows the check can.
  want=0; [ $s = chain ] && [ $d -gt 1 ] && want=60
  expect $want "curl verifies $name against the root alone" -- curl -sS --cacert ca/root.pem \
    --resolve "$name:$FLEET_NGINX_PORT:$a" -o /dev/null "https://$name:$FLEET_NGINX_PORT/"
done; done

# A chain missing its intermediate is put right, and only there.
host_ssh "$(address 2 all)" "printf '' >$T/chain.pem"
expect 2 "an emptied chain file is a change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 1 to change, 0 to remove, 1 restart."
contains "installed chain lacks CN=pkiform fleet intermediate CA, O=Example Ltd of issuer fleet-int1"
expect 0 "apply puts it right" -- $P apply --auto-approve --no-color
expect 0 "then nothing to do" -- $P plan --detailed-exitcode --no-color

# A root issuer's chain file is empty; gone, it is written again (a service may require it).
host_ssh "$(address 1 chain)" "rm $T/chain.pem"
expect 2 "a removed empty chain file is a change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 1 to change, 0 to remove, 1 restart."
contains "missing on the peer: $T/chain.pem"
expect 0 "apply writes it again" -- $P apply --auto-approve --no-color
[ "$(certs "$(address 1 chain)" chain chain.pem)" = 0 ] && ok "the chain file is back, empty" || fail "no chain file"
expect 0 "then nothing to do" -- $P plan --detailed-exitcode --no-color
finish
