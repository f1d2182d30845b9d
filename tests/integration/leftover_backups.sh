#!/usr/bin/env bash
# Backups left by an interrupted apply (issue 8, item 9): a SIGKILL between an
# install's backups and their removal leaves `*.pkiform-backup` files (the old key
# among them). The next plan names them and apply removes exactly those, alone or
# after a replacement of the slot; a replacement that fails restores the files as
# they were before it, never an old backup.
# Usage: leftover_backups.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  exec "$2" "$work/repo" web1.fleet.test=127.0.86.11,web2.fleet.test=127.0.86.12 -- "$0" "$1" "$2"
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
T=/srv/pkiform-host/tls
W1=127.0.86.11 W2=127.0.86.12

expect 0 "apply" -- $P apply --auto-approve
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# What a kill between the backups and their removal leaves: the key and the certificate copied
# aside (cp -p, so the key's copy is 0600), the chain still under its temporary name; and what a
# kill during an upload leaves: the key's temporary upload file (remote_files.h).
leave_backups() {
  host_ssh "$1" "cd $T && cp -p server.key server.key.pkiform-backup && cp -p server.pem server.pem.pkiform-backup \
    && cp -p chain.pem chain.pem.pkiform-backup.tmp && cp -p server.key .server.key.pkiform-tmp-Ab3XyZ09qW"
}
digests() { host_ssh "$1" "cd $T && sha256sum server.pem server.key chain.pem fullchain.pem"; }
served() {
  openssl s_client -connect "$1:$FLEET_NGINX_PORT" -servername "$2" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256
}

# --- Leftovers next to an identity that is as desired: removed alone, no restart.
leave_backups $W1 && ok "web1 has the backups of an interrupted apply"
before=$(digests $W1)
served_before=$(served $W1 web1.fleet.test)
expect 2 "the plan shows the leftover backups" -- $P plan --detailed-exitcode --no-color
contains "# web/web1.fleet.test"
contains "  - backups nginx"
contains "      # backup files left by an interrupted apply; removed, never restored"
contains "      - $T/server.pem.pkiform-backup"
contains "      - $T/chain.pem.pkiform-backup.tmp"
contains "      - $T/server.key.pkiform-backup"
contains "      - $T/.server.key.pkiform-tmp-Ab3XyZ09qW"
contains "Plan: 0 to add, 0 to change, 1 to remove, 0 restarts."
lacks "web2.fleet.test"
lacks "identity nginx"
expect 2 "--target of the slot selects them" -- \
  $P plan --detailed-exitcode --no-color --target web/web1.fleet.test/nginx
contains "Plan: 0 to add, 0 to change, 1 to remove, 0 restarts."
expect 0 "--target of the trust store does not" -- \
  $P plan --detailed-exitcode --target web/web1.fleet.test//srv/pkiform-host/trust/corp-bundle.pem
expect 2 "plan -o" -- $P plan -o plan.json --detailed-exitcode
/usr/bin/python3 - plan.json "$T" <<'PY' && ok "the saved plan lists exactly the files to remove" || fail "plan JSON"
import json, sys
plan, t = json.load(open(sys.argv[1])), sys.argv[2]
changes = [c for p in plan["peers"] for c in p["changes"]]
assert len(changes) == 1, changes
c = changes[0]
assert (c["kind"], c["action"], c["address"]) == ("backups", "delete", "web/web1.fleet.test/backups/nginx"), c
assert c["remove_files"] == [t + "/server.pem.pkiform-backup", t + "/chain.pem.pkiform-backup.tmp",
                             t + "/server.key.pkiform-backup", t + "/.server.key.pkiform-tmp-Ab3XyZ09qW"], \
    c["remove_files"]
assert plan["summary"] == {"add": 0, "change": 0, "remove": 1, "restarts": 0}, plan["summary"]
PY
expect 0 "apply the saved plan" -- $P apply plan.json
contains "- web/web1.fleet.test/backups/nginx"
contains "Apply complete: 1 change applied on 1 peer."
lacks "restart:"
left=$(host_ssh $W1 "ls -A $T" | grep pkiform-)
[ -z "$left" ] && ok "no backup files left on web1" || fail "left on web1: $left"
[ "$(digests $W1)" = "$before" ] && ok "the files in place are untouched" || fail "the files in place changed"
[ "$(served $W1 web1.fleet.test)" = "$served_before" ] && ok "nginx serves the same certificate" || fail "served"
tail -n 1 .pkiform/history.jsonl | /usr/bin/python3 -c '
import json, sys
e = json.loads(sys.stdin.read())
assert (e["address"], e["action"], e["outcome"]) == ("web/web1.fleet.test/backups/nginx", "delete", "applied"), e
assert e["detail"].startswith("removed /srv/pkiform-host/tls/server.pem.pkiform-backup, "), e' \
  && ok "history records the removal and the files" || { fail "history"; tail -n 1 .pkiform/history.jsonl; }
expect 0 "then nothing to do" -- $P plan --detailed-exitcode --no-color
contains "No changes. The fleet matches the manifests."

# A saved plan is stale once another backup file appears: apply removes only what the plan listed.
leave_backups $W2
expect 2 "plan -o with web2's backups" -- $P plan -o web2.json --detailed-exitcode
host_ssh $W2 "cp -p $T/fullchain.pem $T/fullchain.pem.pkiform-backup"
expect 1 "apply of a plan made before another backup appeared" -- $P apply web2.json
contains "stale plan: web2.fleet.test has changed since the plan was made"

# --- Leftovers on a slot that is replaced anyway: they go once the new identity is verified.
sed -i 's/      duration: 90d/      extraDnsNames: [www.fleet.test]\n      duration: 90d/' $M
expect 2 "a new SAN and the leftovers" -- $P plan --detailed-exitcode --no-color
contains "Plan: 0 to add, 2 to change, 1 to remove, 2 restarts."
contains "      # backup files left by an interrupted apply; removed once the new identity is verified, never restored"
contains "      - $T/fullchain.pem.pkiform-backup"
expect 0 "apply" -- $P apply --auto-approve
contains "Apply complete: 3 changes applied on 2 peers."
for h in $W1 $W2; do
  left=$(host_ssh $h "ls -A $T" | grep pkiform-)
  [ -z "$left" ] && ok "no backup files left on $h" || fail "left on $h: $left"
done
expect 0 "web2 serves the new SAN" -- sh -c "openssl s_client -connect $W2:$FLEET_NGINX_PORT \
  -servername web2.fleet.test -CAfile ca/root.pem -verify_return_error </dev/null 2>/dev/null \
  | openssl x509 -noout -ext subjectAltName"
contains "DNS:www.fleet.test"
expect 0 "then nothing to do" -- $P plan --detailed-exitcode

# --- A replacement that fails restores the files as they were before it, not the old backups.
host_ssh $W1 "cd $T && echo 'an old certificate' > server.pem.pkiform-backup \
  && echo 'an old key' > server.key.pkiform-backup && chmod 600 server.key.pkiform-backup \
  && echo 'older' > server.key.pkiform-backup.tmp"
before=$(digests $W1)
sed -i -e "s#      reload: nginx .*#      reload: 'true'#" \
  -e 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, api.fleet.test]/' $M
expect 2 "a replacement with leftovers" -- $P plan --detailed-exitcode --no-color --target web/web1.fleet.test
contains "Plan: 0 to add, 1 to change, 1 to remove, 1 restart."
expect 1 "apply with a reload that does not reload" -- $P apply --auto-approve --target web/web1.fleet.test
contains "(rolled back)"
lacks "- web/web1.fleet.test/backups/nginx"
[ "$(digests $W1)" = "$before" ] && ok "web1's files are as they were before the apply" \
  || { fail "web1's files after the rollback"; digests $W1; }
left=$(host_ssh $W1 "ls -A $T" | grep pkiform-)
[ -z "$left" ] && ok "the old backups were not brought back, nor left" || fail "left on web1: $left"
finish
