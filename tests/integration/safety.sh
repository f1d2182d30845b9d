#!/usr/bin/env bash
# What must never happen: a stale plan applied, two runs at once, an unknown or
# changed host key trusted, a broken reload left in place, a secret written out.
# Usage: safety.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" web1.fleet.test=127.0.80.11,web2.fleet.test=127.0.80.12 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
expect 0 "apply" -- $P apply --auto-approve

# A saved plan is refused for a peer that changed after the plan was made.
sed -i 's/      duration: 90d/      extraDnsNames: [www.fleet.test]\n      duration: 90d/' $M
expect 2 "plan -o" -- $P plan -o plan.json --detailed-exitcode
expect 0 "show the saved plan" -- $P show plan.json
contains "Plan: 0 to add, 2 to change, 0 to remove, 2 restarts."
host_ssh 127.0.80.12 'rm /srv/pkiform-host/tls/chain.pem' && ok "web2 changed behind pkiform's back"
expect 1 "apply of a stale plan" -- $P apply plan.json
contains "stale plan: web2.fleet.test has changed since the plan was made"
expect 0 "apply of the fresh plan" -- $P apply --auto-approve

# The manifests changed after the plan: refused.
expect 0 "plan -o (no changes)" -- $P plan -o plan2.json
sed -i 's/      renewBefore: 30d/      renewBefore: 31d/' $M
expect 1 "apply of a plan whose manifests changed" -- $P apply plan2.json
contains "the manifests changed since plan2.json was made"

# A second concurrent run is refused at once.
flock .pkiform/lock sleep 2 &
holder=$!
sleep 0.5
expect 1 "a second run while the lock is held" -- $P plan
contains "another pkiform run holds the state lock"
wait $holder
expect 0 "with --lock-timeout a run waits for the lock" -- sh -c "flock .pkiform/lock sleep 1 & sleep 0.3; $P plan --lock-timeout 10"

# Unknown and changed host keys are refused.
cp ssh/known_hosts ssh/known_hosts.good
: > ssh/known_hosts
expect 1 "an unknown host key" -- $P plan
contains "--accept-new-host-keys"
ssh-keygen -q -t ed25519 -N '' -f other_host_key
sed -e "s#ssh-ed25519 [^ ]*#$(cut -d' ' -f1,2 other_host_key.pub)#" ssh/known_hosts.good > ssh/known_hosts
expect 1 "a changed host key, even with --accept-new-host-keys" -- $P plan --accept-new-host-keys
contains "changed"
cp ssh/known_hosts.good ssh/known_hosts

# A reload that leaves the service on its old certificate is rolled back and reported.
before=$(host_ssh 127.0.80.11 'openssl x509 -noout -fingerprint -sha256 -in /srv/pkiform-host/tls/server.pem')
sed -i -e 's/      renewBefore: 31d/      renewBefore: 30d/' \
  -e "s#      reload: nginx .*#      reload: 'true'#" -e 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, api.fleet.test]/' $M
expect 1 "apply with a reload that does not reload" -- env -u USER $P apply --auto-approve
contains "does not serve the new certificate"
contains "(rolled back)"
# The summary counts what stands, and names what was restored.
contains "Apply failed: 0 changes applied on 0 peers; 1 change rolled back on 1 peer."
contains "restored: web/web1.fleet.test/identity/nginx"
grep -q '"outcome":"rolled-back"' .pkiform/history.jsonl && ok "history records the rollback" || fail "history lacks the rollback"
# Without $USER (root in a container, a systemd unit) the history names the user by uid.
tail -n 1 .pkiform/history.jsonl | grep -q "\"user\":\"$(id -un)\"" && ok "history names the user without \$USER" \
  || { fail "history user"; tail -n 1 .pkiform/history.jsonl; }
contains "web/web2.fleet.test: skipped (an earlier peer of the cluster failed)"
after=$(host_ssh 127.0.80.11 'openssl x509 -noout -fingerprint -sha256 -in /srv/pkiform-host/tls/server.pem')
[ "$before" = "$after" ] && ok "web1 has its previous certificate back" || fail "web1 certificate not restored"
host_ssh 127.0.80.11 'ls /srv/pkiform-host/tls/' | grep -q pkiform-backup && fail "backup files left" || ok "no backup files left"

# No private key, passphrase or password anywhere pkiform writes: state, plans, JSON, logs.
$P plan --json > plan-out.json 2>plan-err.log
$P apply --auto-approve > apply.log 2>&1
secrets=$(grep -rlE 'PRIVATE KEY|fixture-pass' .pkiform plan.json plan2.json plan-out.json plan-err.log apply.log 2>/dev/null)
[ -z "$secrets" ] && ok "no secret in state, plans or logs" || fail "secrets in: $secrets"
[ "$(stat -c %a .pkiform)" = 700 ] && ok "state directory is 0700" || fail "state directory mode"
[ "$(stat -c %a plan.json)" = 600 ] && ok "plan file is 0600" || fail "plan file mode"
host_ssh 127.0.80.11 'stat -c %a /srv/pkiform-host/tls/server.key' | grep -qx 600 && ok "key on the host is 0600" || fail "key mode"
grep -q '"outcome":"applied"' .pkiform/history.jsonl && ok "history records applied changes" || fail "history"
finish
