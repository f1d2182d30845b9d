#!/usr/bin/env bash
# A two-peer Cisco VCS cluster (simulated by pkiform-sim behind the real sshd: the admin
# xACLI on a PTY and the root account's exec requests) from factory state to the manifests
# and kept there (issue 10, "Done when"): plan -> apply (a server certificate per peer
# replacing the temporary identity V17, the CA list with prune, the CRL upload V11,
# distribution points and daily time V10, SIP TLS revocation settings V13; one restart per
# peer V7, each verified over TLS) -> no changes -> renewal -> a CA replaced by a new one
# with the same subject (V9) -> the CRL replaced (V11) -> no changes -> a restart that
# never comes back stops the cluster and is reported; the next apply converges.
# Usage: vcs_apply.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" vcs-a.fleet.test=127.0.101.1:vcs,vcs-b.fleet.test=127.0.101.2:vcs -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
A=127.0.101.1
B=127.0.101.2
M=manifests/vcs.yaml
plan() { $P plan -f manifests/ --no-color --detailed-exitcode "$@"; }
apply() { $P apply -f manifests/ --no-color --auto-approve "$@"; }
# served ADDRESS PORT: the subject and issuer of what the peer serves there (openssl's own client).
served() { echo | timeout 10 openssl s_client -connect "$1:$2" 2>/dev/null | openssl x509 -noout -subject -issuer; }
# A self-signed CA: selfsigned NAME "SUBJECT".
selfsigned() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "ca/$1.key" -subj "$2" -days 365 -out "ca/$1.pem" \
    -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# A partner CA the CA list trusts, and a CRL of the fleet's RSA CA made with `openssl ca`.
selfsigned partner "/O=Partner Ltd/CN=Partner Root CA" && ok "partner CA made" || fail "partner CA"
openssl_ca_config rsa
openssl ca -config ca/ca.cnf -gencrl -out crl/fleet.crl 2>/dev/null && ok "CRL number 1 made" || fail "openssl ca -gencrl"
sed -i 's|certificates: \[../ca/rsa.pem\]|certificates: [../ca/rsa.pem, ../ca/partner.pem]|' $M
cat >> $M <<'EOF'
  revocation:
    crl:
      automaticUpdates: true
      distributionPoints: [http://crl.fleet.test/rsa.crl, https://crl.fleet.test/partner.crl]
      dailyUpdateTime: "02:30"
      upload: [../crl/fleet.crl]
    sipTls:
      enabled: true
      useOcsp: false
      useCrls: true
      allowCdpDownloads: true
      fallback: treat-as-revoked
EOF

# 1. From factory state.
expect 0 "the manifests are valid" -- $P validate -f manifests/
expect 2 "the factory cluster needs changes" -- plan
contains "always replaced (V17)"
contains "cannot be rolled back"
contains "+ crl uploaded"
contains "setting crl.distributionPoints"
contains "setting sipTls.fallback"
contains "restarts: VCS (appliance)"
contains "Plan: "
expect 0 "apply takes the cluster to the manifests" -- apply
contains "vcs-a.fleet.test: restart: VCS"
contains "vcs-a.fleet.test: verified: server"
contains "vcs-b.fleet.test: verified: server"
contains "Apply complete"
expect 0 "then the plan is empty" -- plan
contains "No changes."
for peer in $A $B; do
  expect 0 "$peer serves the new certificate on HTTPS" -- served $peer "$FLEET_HTTPS_PORT"
  contains "OU = Collaboration"
  contains "CN = pkiform fleet RSA CA"
  expect 0 "$peer serves it on SIP TLS too" -- served $peer "$FLEET_SIP_TLS_PORT"
  contains "CN = pkiform fleet RSA CA"
done
expect 0 "the SANs carry the peer and the cluster FQDN (V1)" -- \
  bash -c "echo | openssl s_client -connect $A:$FLEET_HTTPS_PORT 2>/dev/null | openssl x509 -noout -ext subjectAltName"
contains "DNS:vcs-a.fleet.test, DNS:vcs.fleet.test"

# 2. Renewal: renew 800 days before expiry (the 730-day certificates are due at once).
sed -i -e 's/renewBefore: 60d/renewBefore: 800d/' -e 's/duration: 730d/duration: 1000d/' $M
expect 2 "renewBefore reached: both server certificates are renewed" -- plan
contains "-/+ identity server"
contains "2 restarts"
expect 0 "the renewal is applied and verified" -- apply
contains "vcs-b.fleet.test: verified: server"
sed -i -e 's/renewBefore: 800d/renewBefore: 60d/' $M
expect 0 "then nothing to do" -- plan
contains "No changes."

# 3. The partner CA replaced by a new one with the same issuer and subject (V9), and a newer CRL (V11).
mv ca/partner.pem ca/partner-old.pem
selfsigned partner "/O=Partner Ltd/CN=Partner Root CA" && ok "a new partner CA with the same subject" || fail "partner CA 2"
openssl ca -config ca/ca.cnf -gencrl -out crl/fleet.crl 2>/dev/null && ok "CRL number 2 made" || fail "CRL 2"
expect 2 "the new CA and the newer CRL are planned" -- plan
contains "+ trust default  CN=Partner Root CA"
contains "- trust default  CN=Partner Root CA"
contains "CRL number 1 < 2"
lacks "restarts: VCS"
expect 0 "apply replaces the CA (the old one deleted first) and the CRL, without a restart" -- apply
lacks "restart: VCS"
contains "Apply complete"
expect 0 "then nothing to do" -- plan
contains "No changes."

# 4. The uploaded CRL removed (V11): the manifest lists none.
sed -i 's|      upload: \[../crl/fleet.crl\]|      upload: []|' $M
expect 2 "an empty upload list removes the uploaded CRL" -- plan
contains "- crl uploaded"
contains "revocation.crl.upload is empty: the uploaded CRL is removed (V11)"
expect 0 "apply removes it" -- apply
contains "- vcs/vcs-a.fleet.test/crl/uploaded"
expect 0 "then nothing to do" -- plan
contains "No changes."

# 5. A restart that never comes back: the cluster stops there and says so; the next apply converges.
cat >> $M <<'EOF'
  restarts:
    timeout: 8s
EOF
sed -i '0,/organizationalUnit: Collaboration/s//organizationalUnit: Video/' $M
echo "fail-restart=1" > "$FLEET_HOSTS_DIR/$A/faults"
expect 2 "a new OU replaces both server certificates" -- plan
contains "OU is 'Collaboration', want 'Video'"
expect 1 "vcs-a does not come back: apply fails and stops the cluster" -- apply
contains "not back after 8 s"
contains "vcs-b.fleet.test: skipped"
rm -f "$FLEET_HOSTS_DIR/$A/faults"
expect 2 "the next plan still has vcs-b to do" -- plan
contains "# vcs/vcs-b.fleet.test"
expect 0 "the next apply converges" -- apply
contains "vcs-b.fleet.test: verified: server"
expect 0 "and the cluster is in sync" -- plan
contains "No changes."
for peer in $A $B; do
  expect 0 "$peer serves the Video certificate" -- served $peer "$FLEET_HTTPS_PORT"
  contains "OU = Video"
done

# 6. No password of either login in a saved plan, the state, or what plan and apply print.
expect 0 "a saved plan" -- plan -o plan.json
all=$(cat plan.json; find .pkiform -type f -exec cat {} +; plan -v 2>&1; apply -v 2>&1)
for secret in ssh/root-password ssh/appliance-password; do
  if printf '%s' "$all" | grep -qF -- "$(head -n1 "$secret")"; then fail "$secret's password was printed or saved"
  else ok "$secret's password is in no plan, state file or output"; fi
done
finish
