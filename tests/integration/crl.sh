#!/usr/bin/env bash
# CRL files for openssh hosts, end to end: a CRL made with `openssl ca` from the
# fleet's CA is uploaded into one file per host (revocation.crl.path), which nginx
# reads as ssl_crl; planning again changes nothing; a newer CRL revoking a client
# certificate is one update and one reload per host, after which nginx refuses
# that client.
# Usage: crl.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" web1.fleet.test=127.0.81.11,web2.fleet.test=127.0.81.12 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
CRL=/srv/pkiform-host/tls/crl.pem
HOSTS="web1.fleet.test:127.0.81.11 web2.fleet.test:127.0.81.12"
reload=$(sed -n 's/^      reload: //p' $M)  # the fleet's nginx reload command: the CRL file's update too

# The identities and the trust bundle first, so that the CRL's plan stands alone.
expect 0 "apply identities and trust" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# `openssl ca` around the fleet's CA: a database, CRL numbers from 01.
openssl_ca_config root
openssl ca -config ca/ca.cnf -gencrl -out crl/fleet.crl 2>/dev/null && ok "CRL number 1 made" || fail "openssl ca -gencrl"
# A client certificate from the fleet CA, revoked later.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout crl/client.key -subj "/CN=client.fleet.test" \
  2>/dev/null | openssl x509 -req -CA ca/root.pem -CAkey ca/root.key -CAcreateserial -CAserial ca/db/serial -days 10 \
  -extfile <(printf 'extendedKeyUsage=clientAuth\n') -out crl/client.pem 2>/dev/null \
  && ok "client certificate made" || fail "client certificate"

cat >> $M <<EOF
  revocation:
    crl:
      upload: [../crl/fleet.crl]
      path: $CRL
      update: $reload
EOF
expect 0 "the manifest with a CRL file validates" -- $P validate -q

expect 2 "an absent CRL file is one creation per host" -- $P plan --detailed-exitcode --no-color
contains "Plan: 2 to add, 0 to change, 0 to remove, 2 restarts."
contains "  + crl $CRL"
contains "# no CRL file on the host (for the CRL of CN=pkiform fleet CA, O=Example Ltd)"
contains "+ CN=pkiform fleet CA, O=Example Ltd: thisUpdate "
contains "restarts: $reload"
lacks "identity nginx"
lacks "trust /srv"
expect 0 "apply the CRL files" -- $P apply --auto-approve
contains "Apply complete: 2 changes applied on 2 peers."
expect 0 "then nothing to do" -- $P plan --detailed-exitcode --no-color
contains "No changes. The fleet matches the manifests."

for h in $HOSTS; do
  name=${h%%:*} addr=${h#*:}
  if diff <(host_ssh "$addr" "cat $CRL") crl/fleet.crl >/dev/null; then ok "$name holds the CRL as made"
  else fail "$name: $CRL differs from crl/fleet.crl"; fi
  host_ssh "$addr" "stat -c %a $CRL" | grep -qx 644 && ok "$name: $CRL is 0644" || fail "$name: CRL file mode"
  # nginx verifies client certificates against the fleet CA and reads the CRL file.
  host_ssh "$addr" "sed -i 's|^    ssl_certificate_key .*|&\n    ssl_client_certificate /srv/pkiform-host/trust/corp-bundle.pem;\n    ssl_verify_client optional;\n    ssl_crl $CRL;|' /srv/pkiform-host/nginx/nginx.conf && $reload" \
    && ok "$name: nginx reloads with ssl_crl $CRL" || fail "$name: nginx does not take ssl_crl"
done

# curl with the client certificate: nginx answers 200 while it is valid, 400 once its CRL says revoked.
client_status() {
  local name=$1 addr=$2 code i
  for i in $(seq 1 25); do  # old workers may answer for a moment after a reload
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert ca/root.pem --cert crl/client.pem --key crl/client.key \
      --resolve "$name:$FLEET_NGINX_PORT:$addr" "https://$name:$FLEET_NGINX_PORT/")
    [ "$code" = "$3" ] && break
    sleep 0.2
  done
  echo "$code"
}
for h in $HOSTS; do
  name=${h%%:*} addr=${h#*:}
  code=$(client_status "$name" "$addr" 200)
  [ "$code" = 200 ] && ok "$name accepts the client certificate" || fail "$name answers $code to a valid client"
done

# A newer CRL revokes the client certificate: one update per host, one reload per host, nothing else.
openssl ca -config ca/ca.cnf -revoke crl/client.pem 2>/dev/null && ok "client certificate revoked" || fail "revoke"
openssl ca -config ca/ca.cnf -gencrl -out crl/fleet.crl 2>/dev/null && ok "CRL number 2 made" || fail "gencrl 2"
expect 2 "--target plans the CRL file of one host" -- $P plan --detailed-exitcode --no-color --target web/web1.fleet.test/crl
contains "Plan: 0 to add, 1 to change, 0 to remove, 1 restart."
lacks "web2.fleet.test"
expect 2 "a newer CRL is an update per host" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
contains "  ~ crl $CRL"
contains "# CRL of CN=pkiform fleet CA, O=Example Ltd is older on the host: CRL number 1 < 2"
contains ", 0 revoked, number 1"
contains ", 1 revoked, number 2"
lacks "identity nginx"
expect 0 "--json carries the CRL change" -- $P plan --json
printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
p = json.load(sys.stdin)
c = [c for peer in p["peers"] for c in peer["changes"]]
assert len(c) == 2 and all(x["kind"] == "crl" and x["action"] == "update" for x in c), c
assert all(x["certificate_pem"] == open("crl/fleet.crl").read() for x in c)
assert p["summary"]["change"] == 2 and p["summary"]["restarts"] == 2' \
  && ok "plan JSON: two CRL updates whose payload is the new CRL" || fail "plan JSON"
expect 0 "apply the newer CRL" -- $P apply --auto-approve
contains "Apply complete: 2 changes applied on 2 peers."
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

for h in $HOSTS; do
  name=${h%%:*} addr=${h#*:}
  if diff <(host_ssh "$addr" "cat $CRL") crl/fleet.crl >/dev/null; then ok "$name holds the newer CRL"
  else fail "$name: $CRL is not the newer CRL"; fi
  code=$(client_status "$name" "$addr" 400)
  [ "$code" = 400 ] && ok "$name refuses the revoked client certificate" || fail "$name answers $code to a revoked client"
done
finish
