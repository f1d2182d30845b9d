#!/usr/bin/env bash
# The issuers pkiform cannot sign with itself, end to end against two nginx hosts:
#   external    apply hands each CSR (made on the host) over to the requests folder and
#               installs nothing; once a signed certificate is committed, apply installs it
#               with the key that waited on the host, and the request is gone.
#   selfSigned  with the key made on the host (the host signs), then with the key made by
#               pkiform (pkiform signs and uploads the key 0600).
# Usage: issuers.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" web1.fleet.test=127.0.82.11,web2.fleet.test=127.0.82.12 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
hosts="web1:127.0.82.11 web2:127.0.82.12"

# served NAME ADDRESS: the certificate nginx serves for NAME, as text.
served() {
  openssl s_client -connect "$2:$FLEET_NGINX_PORT" -servername "$1" </dev/null 2>/dev/null | openssl x509 -noout -text
}

cat >>manifests/issuers.yaml <<'YAML'
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: fleet-external}
spec:
  external: {requests: ../requests/, certificates: ../certificates/, chain: [../ca/root.pem]}
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: fleet-selfsigned}
spec:
  selfSigned: {}
YAML
sed -i 's/      issuer: fleet-ca/      issuer: fleet-external/' $M

echo "== external: the first apply hands the requests over"
expect 2 "plan with an external issuer" -- $P plan --detailed-exitcode --no-color
contains "Plan: 4 to add, 0 to change, 0 to remove, 0 restarts."
contains "apply writes its request to requests/web/web1.fleet.test/nginx.csr"
expect 0 "apply hands the requests over" -- $P apply --auto-approve --no-color
contains "request for nginx handed over to issuer fleet-external"
for h in $hosts; do
  name=${h%%:*}.fleet.test
  csr=requests/web/$name/nginx.csr
  if openssl req -in "$csr" -noout -verify 2>/dev/null; then ok "$csr is a CSR that verifies"; else fail "$csr"; fi
  out=$(openssl req -in "$csr" -noout -text); contains "DNS:$name"
  out=$(host_ssh ${h#*:} "ls /srv/pkiform-host/tls/"); lacks "server.pem"; contains "server.key.pkiform-new"
  [ -f .pkiform/requests/web/$name/nginx.json ] && ok "state records the request of $name" || fail "no state record for $name"
done
out=$(cat .pkiform/history.jsonl); contains '"outcome":"requested"'
expect 0 "plan while waiting: nothing to do" -- $P plan --detailed-exitcode --no-color
contains "waiting for a signed certificate for web1.fleet.test nginx from issuer fleet-external; its request is requests/web/web1.fleet.test/nginx.csr"
expect 0 "apply while waiting changes nothing" -- $P apply --auto-approve --no-color
cp requests/web/web1.fleet.test/nginx.csr "$FLEET_DIR/first.csr"

echo "== external: the CA answers one host; a certificate for another key is refused"
mkdir -p certificates/web/web1.fleet.test certificates/web/web2.fleet.test
sign() {  # sign CSR OUT: what the outside CA does
  openssl x509 -req -in "$1" -CA ca/root.pem -CAkey ca/root.key -CAcreateserial -days 90 \
    -copy_extensions copyall -out "$2" 2>/dev/null
}
sign requests/web/web1.fleet.test/nginx.csr certificates/web/web1.fleet.test/nginx.pem
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj /CN=web2.fleet.test \
  -addext subjectAltName=DNS:web2.fleet.test -out other.csr 2>/dev/null
sign other.csr certificates/web/web2.fleet.test/nginx.pem
expect 2 "plan with one answer" -- $P plan --detailed-exitcode --no-color
contains "Plan: 1 to add, 0 to change, 0 to remove, 1 restart."
contains "waiting for a signed certificate for web2.fleet.test nginx from issuer fleet-external (the committed certificate cannot be used: it does not answer the pending CSR)"
expect 0 "apply installs the answer" -- $P apply --auto-approve --no-color
contains "verified: nginx serves"
expect 0 "curl verifies web1 against the CA" -- curl -sS --cacert ca/root.pem \
  --resolve "web1.fleet.test:$FLEET_NGINX_PORT:127.0.82.11" -o /dev/null "https://web1.fleet.test:$FLEET_NGINX_PORT/"
[ ! -e requests/web/web1.fleet.test/nginx.csr ] && ok "the answered request is gone" || fail "request still there"
[ ! -e .pkiform/requests/web/web1.fleet.test/nginx.json ] && ok "its state record is gone" || fail "state record left"
out=$(host_ssh 127.0.82.11 "ls /srv/pkiform-host/tls/"); lacks "pkiform-new"
sign requests/web/web2.fleet.test/nginx.csr certificates/web/web2.fleet.test/nginx.pem
expect 0 "apply installs the second answer" -- $P apply --auto-approve --no-color
expect 0 "plan after both answers: nothing to do" -- $P plan --detailed-exitcode --no-color
contains "No changes. The fleet matches the manifests."

echo "== selfSigned, key made on the host: the host signs"
sed -i 's/      issuer: fleet-external/      issuer: fleet-selfsigned/' $M
expect 2 "plan to self-signed" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
contains "not self-signed"
expect 0 "apply self-signed (host signs)" -- $P apply --auto-approve --no-color
for h in $hosts; do
  name=${h%%:*}.fleet.test
  out=$(served $name ${h#*:}); contains "Issuer: C = GB, O = Example Ltd, CN = $name"
  contains "DNS:$name"; contains "CA:FALSE"
  expect 0 "the served certificate of $name verifies against itself" -- sh -c "openssl s_client -connect ${h#*:}:$FLEET_NGINX_PORT \
    -servername $name </dev/null 2>/dev/null | openssl x509 >self.pem && curl -sS --cacert self.pem \
    --resolve $name:$FLEET_NGINX_PORT:${h#*:} -o /dev/null https://$name:$FLEET_NGINX_PORT/"
done
expect 0 "plan after self-signing: nothing to do" -- $P plan --detailed-exitcode --no-color

echo "== selfSigned, key made by pkiform: pkiform signs and uploads the key"
sed -i -e 's/location: appliance/location: generated/' \
  -e 's/      duration: 90d/      extraDnsNames: [www.fleet.test]\n      duration: 90d/' $M
expect 2 "plan a SAN change" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
expect 0 "apply self-signed (pkiform signs)" -- $P apply --auto-approve --no-color
out=$(served web2.fleet.test 127.0.82.12); contains "DNS:www.fleet.test"; contains "Issuer: C = GB, O = Example Ltd, CN = web2.fleet.test"
out=$(host_ssh 127.0.82.12 "stat -c %a /srv/pkiform-host/tls/server.key"); contains "600"
expect 0 "plan at the end: nothing to do" -- $P plan --detailed-exitcode --no-color

echo "== nothing secret in the state, the requests or the output"
if grep -rl "PRIVATE KEY" .pkiform requests certificates 2>/dev/null; then fail "a private key in the state or the repository"; else ok "no private key in the state or the repository"; fi
finish
