#!/usr/bin/env bash
# `reconcile` on a schedule (issue 12, item 1): maintenance windows on an injected clock
# (--now), an expiring certificate that goes ahead outside the window with the reason, a
# failing peer backed off and retried later, apply's deferral notes and --ignore-windows,
# the run lock waited for politely, metrics and JSON logs of reconcile, the TTY progress
# line (only on a terminal), and shards that together cover every cluster once.
# Usage: reconcile_schedule.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$2" "$work/repo" web1.fleet.test=127.0.109.1,web2.fleet.test=127.0.109.2 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
EXAMPLES=$(cd "$(dirname "$0")/../../examples" && pwd)
cd "$FLEET_DIR"
M=manifests/web.yaml
served() { host_ssh "$1" 'openssl x509 -noout -fingerprint -sha256 -in /srv/pkiform-host/tls/server.pem'; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# 1. A first reconcile installs everything (no window yet) and records itself as reconcile.
expect 0 "reconcile of a fresh fleet" -- $P reconcile
contains "Apply complete"
grep -q '"command":"reconcile"' .pkiform/history.jsonl && ok "history says reconcile" || fail "history command"
expect 0 "reconcile again: in sync" -- $P reconcile
contains "No changes"

# The day the renewal falls due on the injected clock: 70 days on, at 12:00 UTC.
expiry=$(date -u -d "$(host_ssh 127.0.109.1 'openssl x509 -noout -enddate -in /srv/pkiform-host/tls/server.pem' | cut -d= -f2)" +%s)
day=$(date -u -d "@$(( $(date -u +%s) + 70 * 86400 ))" +%Y-%m-%d)
noon="${day}T12:00:00Z"
next=$(date -u -d "$day + 1 day" +%Y-%m-%d)
sed -i 's/^  identity:/  restarts: {window: "daily 01:00-05:00", timeZone: UTC}\n  identity:/' $M
expect 0 "validate with a window" -- $P validate -q

# 2. Outside the window the renewal is deferred (exit 2), and says until when.
before1=$(served 127.0.109.1)
expect 2 "reconcile outside the window defers" -- $P reconcile --now "$noon" --metrics textfile.prom
contains "deferred until the maintenance window opens at $next 01:00 UTC"
contains "Deferred: 2 changes wait for a maintenance window (the first opens ${next}T01:00:00Z)"
[ "$(served 127.0.109.1)" = "$before1" ] && ok "web1 still serves its certificate" || fail "web1 changed outside the window"
out=$(cat textfile.prom)
contains 'pkiform_deferred_changes{cluster="web"} 2'
contains 'pkiform_last_run_success{command="reconcile"} 1'
if promtool check metrics < textfile.prom >/dev/null 2>&1; then ok "promtool accepts the reconcile metrics"; else fail "promtool"; fi
expect 0 "promtool check rules of the example alerts" -- promtool check rules "$EXAMPLES/prometheus/pkiform-alerts.yml"

# plan says the same and counts the deferral as drift; apply shows it and applies nothing.
expect 2 "plan --detailed-exitcode outside the window" -- $P plan --detailed-exitcode --now "$noon"
contains "No changes due now. 2 changes deferred to maintenance windows"
contains "deferred until ${next}T01:00:00Z (maintenance window):"
expect 0 "apply outside the window applies nothing" -- $P apply --auto-approve --now "$noon"
contains "No changes due now"
[ "$(served 127.0.109.1)" = "$before1" ] && ok "apply left web1 alone" || fail "apply renewed outside the window"
$P plan --json --now "$noon" > deferred.json 2>/dev/null
[ "$(jq '.summary.deferred' deferred.json)" = 2 ] && ok "plan JSON counts 2 deferred" || fail "plan JSON: $(jq .summary deferred.json)"

# 3. Inside the window it is applied.
expect 0 "reconcile inside the window applies" -- $P reconcile --now "${next}T02:00:00Z"
contains "Apply complete"
[ "$(served 127.0.109.1)" != "$before1" ] && ok "web1 serves a renewed certificate" || fail "web1 not renewed"

# 4. A certificate that expires before the window opens goes ahead outside it, and says why.
expiry=$(date -u -d "$(host_ssh 127.0.109.1 'openssl x509 -noout -enddate -in /srv/pkiform-host/tls/server.pem' | cut -d= -f2)" +%s)
late=$(( expiry - 86400 ))
wday=$(date -u -d "@$(( expiry + 2 * 86400 ))" +%a)
sed -i "s/window: \"daily 01:00-05:00\"/window: \"$wday 01:00-05:00\"/" $M
before1=$(served 127.0.109.1)
expect 0 "reconcile a day before expiry, the window days away" -- $P reconcile --now "$(iso $late)"
contains "before the maintenance window opens at"
contains "applied outside the window"
[ "$(served 127.0.109.1)" != "$before1" ] && ok "renewed before it expired" || fail "not renewed"

# --ignore-windows applies what would wait.
sed -i "s/window: \"$wday 01:00-05:00\"/window: \"daily 01:00-05:00\"/" $M
expect 2 "deferred again at noon" -- $P reconcile --now "$noon"
expect 0 "apply --ignore-windows renews at noon" -- $P apply --auto-approve --ignore-windows --now "$noon"
contains "Apply complete"

# 5. A peer that fails is backed off: skipped, then retried after its delay.
sed -i 's/{fqdn: web2.fleet.test, address: 127.0.109.2}/{fqdn: web2.fleet.test, address: 127.0.109.2, port: 1}/' $M
grep -q "port: 1}" $M && ok "web2 now points at a closed port" || fail "manifest edit"
t0=$(date -u +%s)
expect 1 "reconcile with web2 unreachable fails" -- $P reconcile --ignore-windows
contains "web/web2.fleet.test"
[ "$(jq '.peers["web/web2.fleet.test"].failures' .pkiform/backoff.json)" = 1 ] && ok "backoff records 1 failure" \
  || { fail "backoff.json"; cat .pkiform/backoff.json; }
[ "$(jq -r '.peers["web/web1.fleet.test"]' .pkiform/backoff.json)" = null ] && ok "web1 has no backoff" || fail "web1 backed off"
[ "$(stat -c %a .pkiform/backoff.json)" = 600 ] && ok "backoff.json is 0600" || fail "mode"
expect 0 "the next run leaves web2 alone while it backs off" -- $P reconcile --ignore-windows
contains "web/web2.fleet.test: skipped: backing off after 1 failure in a row, next attempt $(iso $((t0 + 3600)) | cut -c1-15)"
contains "1 peer left alone while backing off"
expect 1 "--ignore-backoff retries it now" -- $P reconcile --ignore-windows --ignore-backoff
contains "retried now (--ignore-backoff)"
[ "$(jq '.peers["web/web2.fleet.test"].failures' .pkiform/backoff.json)" = 2 ] && ok "2 failures: 2 h now" || fail "backoff count"
expect 0 "an hour later it still waits (2 h)" -- $P reconcile --ignore-windows --now "$(iso $((t0 + 3600 + 600)))"
contains "skipped: backing off after 2 failures"
sed -i 's/address: 127.0.109.2, port: 1}/address: 127.0.109.2}/' $M
expect 0 "three hours later it is retried, answers, and its record is cleared" -- \
  $P reconcile --ignore-windows --now "$(iso $((t0 + 3 * 3600)))"
lacks "skipped"
[ "$(jq '.peers | length' .pkiform/backoff.json)" = 0 ] && ok "no backoff left" || { fail "backoff left"; cat .pkiform/backoff.json; }

# 6. The run lock: reconcile waits for another run politely, within --lock-timeout.
flock .pkiform/lock sleep 4 &
holder=$!
sleep 0.5
expect 1 "reconcile --lock-timeout 1 while another run holds the lock" -- $P reconcile --lock-timeout 1
contains "waiting up to 1 s (--lock-timeout)"
expect 0 "reconcile waits for the lock to be released" -- $P reconcile --lock-timeout 30
contains "waiting up to 30 s"
wait $holder

# 7. JSON logs of a reconcile parse line by line.
$P --log-format json reconcile --ignore-windows --now "$noon" > /dev/null 2> reconcile.log
lines=$(wc -l < reconcile.log); parsed=$(jq -c . reconcile.log 2>/dev/null | wc -l)
[ "$lines" -gt 0 ] && [ "$lines" = "$parsed" ] && ok "all $lines reconcile log lines are JSON" || { fail "json log"; cat reconcile.log; }

# 8. Progress: on a terminal a status line, never in a pipe.
out=$(script -qec "$P plan" /dev/null 2>&1)
contains "Observing: 2/2 peers"
expect 0 "plan in a pipe" -- $P plan
lacks "Observing:"

# 9. Shards: six clusters over the same hosts; two shards plan each exactly once.
mkdir -p sharded
for f in manifests/*.yaml; do [ "$f" = $M ] || cp "$f" sharded/; done  # the issuers
for c in a b c d e f; do sed "s/metadata: {name: web}/metadata: {name: web-$c}/" $M > sharded/web-$c.yaml; done
$P plan --json -f sharded --shard 1/2 2>/dev/null | jq -r '.peers[].cluster' | sort -u > s1.txt
$P plan --json -f sharded --shard 2/2 2>/dev/null | jq -r '.peers[].cluster' | sort -u > s2.txt
grep -q '^web-[a-f]$' s1.txt && grep -q '^web-[a-f]$' s2.txt && ok "both shards hold clusters: $(tr '\n' ' ' < s1.txt)| $(tr '\n' ' ' < s2.txt)" || fail "a shard is empty"
[ "$(sort s1.txt s2.txt | uniq -d | wc -l)" = 0 ] && ok "no cluster in both shards" || fail "overlap"
[ "$(sort -u s1.txt s2.txt | wc -l)" = 6 ] && ok "together they cover all 6 clusters" || fail "coverage: $(cat s1.txt s2.txt)"
[ -d .pkiform/shard-1-of-2 ] && [ -d .pkiform/shard-2-of-2 ] && ok "each shard has its own state directory" || fail "shard state dirs"
expect 1 "a malformed shard" -- $P plan --shard 3/2
contains "expected i/n"
finish
