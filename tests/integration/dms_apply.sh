#!/usr/bin/env bash
# A Cisco DMS Show and Share appliance (simulated by pkiform-sim behind the real sshd: the
# admin login's full-screen AAI) with an openssh host of the same fleet as its (S)FTP staging
# server, from factory state to the manifests and kept there (issue 11, "Done when"):
# plan -> apply (the CSR made by GENERATE_CSR and collected from staging, signed, the chain
# staged as separate files, the keystore exported first, IMPORT_CERTIFICATE, verified over
# TLS) -> no changes -> renewal -> an issuer whose CA files are broken (CR LF and a blank line
# after END, intermediate and root in one file) is normalised before staging -> a forced
# verification failure restores the keystore, the old identity is served again, and the plan
# shows the same change pending -> the next apply converges -> a self-signed identity in
# months (D8, D15). Last, no staging password or keystore passphrase in any output, saved
# plan, state file, the staging server's files, or the argv of any process during an apply.
# Usage: dms_apply.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" stage.fleet.test=127.0.104.51,dms1.fleet.test=127.0.104.52:dms -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
D=127.0.104.52
STAGE=127.0.104.51
M=manifests/dms.yaml
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
apply() { $P apply -f manifests/ --no-color --auto-approve "$@"; }
# served: the subject and issuer of what the appliance serves (openssl's own client).
served() { echo | timeout 10 openssl s_client -connect "$D:$FLEET_HTTPS_PORT" 2>/dev/null | openssl x509 -noout -subject -issuer -fingerprint -sha256; }
# The appliance's state as the simulator keeps it (what VIEW_CERT_CHAIN shows).
APPLIANCE=$FLEET_HOSTS_DIR/$D/keystore
STAGED=$FLEET_HOSTS_DIR/$STAGE/staging/dms1.fleet.test

[ -f $M ] && ok "pkiform_fleet wrote $M" || { fail "no $M"; finish; exit 1; }
expect 0 "the manifests are valid" -- $P validate -f manifests/

# 1. From factory state.
expect 2 "the factory appliance needs a new identity" -- plan
contains "-/+ identity identity"
contains "follow-up: Export the keystore first"
contains "follow-up: Pair the appliances again"
lacks "cannot be rolled back"
expect 0 "apply takes the appliance to the manifests" -- apply
contains "dms1.fleet.test: verified: identity"
contains "Apply complete"
expect 0 "served: the fleet's RSA CA issued it" -- served
contains "issuer=O = Example Ltd, CN = pkiform fleet RSA CA"
contains "OU = Video Services"
# The chain went in as its own file (D5) and the staged files are gone; the backup too, once verified.
[ "$(grep -c 'BEGIN CERTIFICATE' $APPLIANCE/chain.pem)" = 1 ] && ok "the appliance holds the CA chain" || fail "chain.pem"
[ -z "$(ls -A $STAGED 2>/dev/null)" ] && ok "nothing left on the staging server" || { fail "left on staging"; ls -la $STAGED; }
expect 0 "then the plan is empty" -- plan
contains "No changes."

# 2. A renewal: the certificate (365 days) is due once renewBefore reaches past its expiry.
before=$(served)
sed -i 's/duration: 365d/duration: 730d/; s/renewBefore: 45d/renewBefore: 400d/' $M
expect 2 "renewBefore past the expiry makes a renewal due" -- plan
expect 0 "the renewal is applied and verified" -- apply
contains "dms1.fleet.test: verified: identity"
after=$(served)
[ "$before" != "$after" ] && ok "a new certificate is served" || fail "the same certificate is served"
sed -i 's/duration: 730d/duration: 365d/; s/renewBefore: 400d/renewBefore: 45d/' $M
expect 0 "and the plan is empty again" -- plan

# 3. An external CA (an issuing CA under the RSA root) answers the request made on the
# appliance the way careless CAs do: the certificate file holds the identity and the issuing
# CA, with CR LF line ends and a blank line after END (D2, D5), and the issuing CA is given
# as DER (D1). pkiform stages one clean PEM file per certificate, or the appliance would
# refuse them ("Certificate import failed.").
openssl req -newkey rsa:2048 -nodes -keyout ca/issuing.key -subj "/O=Example Ltd/CN=Fleet Issuing CA" -out ca/issuing.csr 2>/dev/null
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca/issuing.ext
openssl x509 -req -in ca/issuing.csr -CA ca/rsa.pem -CAkey ca/rsa.key -CAcreateserial -days 365 \
  -extfile ca/issuing.ext -out ca/issuing.pem 2>/dev/null && ok "an issuing CA under the RSA root" || fail "issuing CA"
openssl x509 -in ca/issuing.pem -outform DER -out ca/issuing.der
cat >> manifests/issuers.yaml <<'EOM'
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: fleet-external}
spec:
  external: {requests: ../requests/, certificates: ../certificates/, chain: [../ca/issuing.der, ../ca/rsa.pem]}
EOM
sed -i 's/issuer: fleet-rsa-ca/issuer: fleet-external/' $M
expect 2 "a new issuer replaces the identity" -- plan
expect 0 "apply hands the request made on the appliance over" -- apply
contains "request for identity handed over to issuer fleet-external"
csr=requests/dms/dms1.fleet.test/identity.csr
openssl req -in $csr -noout -subject 2>/dev/null | grep -q "CN = dms1.fleet.test" && ok "$csr is the appliance's CSR" || fail "$csr"
mkdir -p certificates/dms/dms1.fleet.test
printf 'subjectAltName=DNS:dms1.fleet.test\nextendedKeyUsage=serverAuth\n' > ca/leaf.ext
openssl x509 -req -in $csr -CA ca/issuing.pem -CAkey ca/issuing.key -CAcreateserial -days 200 -extfile ca/leaf.ext \
  -out ca/leaf.pem 2>/dev/null && ok "the external CA signs it" || fail "signing"
cat ca/leaf.pem ca/issuing.pem | sed 's/$/\r/' > certificates/dms/dms1.fleet.test/identity.pem
printf '\r\n' >> certificates/dms/dms1.fleet.test/identity.pem
expect 2 "the committed answer is planned" -- plan
expect 0 "the broken file is normalised before staging, and the appliance takes it" -- apply
contains "dms1.fleet.test: verified: identity"
[ "$(grep -c 'BEGIN CERTIFICATE' $APPLIANCE/chain.pem)" = 2 ] && ok "the appliance holds issuing CA and root" || fail "chain.pem"
grep -q $'\r' $APPLIANCE/chain.pem $APPLIANCE/identity.pem && fail "a CR reached the appliance" || ok "no CR reached the appliance"
expect 0 "served: the issuing CA issued it" -- served
contains "issuer=O = Example Ltd, CN = Fleet Issuing CA"
expect 0 "and the plan is empty" -- plan

# 4. A verification that fails (the web server is looked for on a port where nothing
# listens): the keystore exported before the import is imported back, the old identity is
# served again, and the change is still pending.
good=$(served)
sed -i "s/organizationalUnit: Video Services/organizationalUnit: Video/; s/issuer: fleet-external/issuer: fleet-rsa-ca/" $M
sed -i "s/address: $D\(.*\)}/address: $D, httpsPort: 1}/" $M
grep -q "httpsPort: 1}" $M && ok "the verification goes to port 1" || { fail "manifest edit"; cat $M; }
expect 2 "a new OU replaces the identity" -- plan
contains "OU is 'Video Services', want 'Video'"
expect 1 "apply fails its verification and rolls back" -- apply
contains "does not serve the new certificate"
contains "(rolled back)"
[ "$(served)" = "$good" ] && ok "the old identity is served again" || { fail "not the old identity"; served; }
[ -z "$(ls -A $STAGED 2>/dev/null)" ] && ok "the keystore backup is gone after the restore" || { fail "left on staging"; ls -la $STAGED; }
expect 2 "the plan shows the same change pending" -- plan
contains "OU is 'Video Services', want 'Video'"
sed -i "s/, httpsPort: 1}/}/" $M
if [ "$FLEET_HTTPS_PORT" != 443 ]; then sed -i "s/address: $D}/address: $D, httpsPort: $FLEET_HTTPS_PORT}/" $M; fi
expect 0 "with the right port the next apply converges" -- apply
contains "dms1.fleet.test: verified: identity"
expect 0 "served: OU Video" -- served
contains "OU = Video,"
expect 0 "and the plan is empty" -- plan

# 5. A self-signed identity: months only (D8), the browser warning (D15), made on the appliance.
cat >> manifests/issuers.yaml <<'EOM'
---
apiVersion: pkiform/v1
kind: Issuer
metadata: {name: self}
spec:
  selfSigned: {}
EOM
sed -i 's/issuer: fleet-rsa-ca/issuer: self/' $M
expect 1 "a self-signed identity in days is refused" -- $P validate -f manifests/
contains "[D8]"
sed -i 's/duration: 365d/duration: 6mo/' $M
expect 0 "in months it is valid, with a warning" -- $P validate -f manifests/
contains "Browsers will reject this certificate"
expect 0 "GENERATE_NEW_CERT makes it" -- apply
contains "dms1.fleet.test: verified: identity"
expect 0 "served: self-signed" -- served
contains "issuer=C = GB, ST = England, L = London, O = Example Ltd, OU = Video, CN = dms1.fleet.test"
expect 0 "and the plan is empty" -- plan

# 6. No staging password or keystore passphrase anywhere: output, a saved plan, the state,
# the staging server's files, the argv of every process while an apply runs.
sed -i 's/issuer: self/issuer: fleet-rsa-ca/; s/duration: 6mo/duration: 365d/' $M
expect 2 "a saved plan (back to the RSA CA)" -- plan -o plan.json
( while :; do ps -eww -o args= >> argv.log; sleep 0.05; done ) & sampler=$!
applied=$(apply -v 2>&1)
kill $sampler; wait $sampler 2>/dev/null
printf '%s' "$applied" | grep -qF "verified: identity" && ok "the apply under watch verified" || { fail "apply"; echo "$applied"; }
all=$(cat plan.json argv.log; find .pkiform -type f -exec cat {} +; find "$FLEET_HOSTS_DIR/$STAGE/staging" -type f -exec cat {} + 2>/dev/null; printf '%s' "$applied"; plan -v 2>&1)
for secret in ssh/staging-password ssh/keystore-passphrase; do
  value=$(head -n1 "$secret")
  [ -n "$value" ] || { fail "$secret is empty"; continue; }
  if printf '%s' "$all" | grep -qF -- "$value"; then fail "$secret's value was printed, saved or put in argv"
  else ok "$secret's value is in no output, plan, state file, staged file or argv"; fi
done
finish
