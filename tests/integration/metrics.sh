#!/usr/bin/env bash
# `--metrics FILE` on plan and apply (issue 12, item 2): the node_exporter textfile holds the
# expiry of every certificate per cluster/peer/slot (identities and trust entries), pending
# changes, changes applied and failed by cluster, the last run and the last success (kept
# while runs fail), passes `promtool check metrics`, and is replaced atomically. A path that
# cannot be written is an error.
# Usage: metrics.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$2" "$work/repo" web1.fleet.test=127.0.106.1,web2.fleet.test=127.0.106.2 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
mkdir -p textfile
F=textfile/pkiform.prom
promcheck() {
  if ! command -v promtool >/dev/null; then fail "promtool is not installed (Debian's prometheus package)"; return; fi
  if out=$(promtool check metrics < "$F" 2>&1); then ok "promtool check metrics: $F"; else fail "promtool: $out"; cat "$F"; fi
}
metric() { grep -F -- "$1" "$F" | head -n1 | awk '{print $NF}'; }

expect 2 "plan --metrics on a fleet with nothing installed" -- $P plan --detailed-exitcode --metrics $F
promcheck
out=$(cat $F)
contains 'pkiform_pending_changes{cluster="web"} 4'
contains 'pkiform_last_run_success{command="plan"} 1'
lacks 'kind="identity"'

expect 0 "apply --metrics" -- $P apply --auto-approve --metrics $F
promcheck
out=$(cat $F)
contains 'pkiform_changes_applied{cluster="web"} 4'
contains 'pkiform_change_failures{cluster="web"} 0'
contains 'pkiform_last_run_success{command="apply"} 1'
first_success=$(metric 'pkiform_last_success_timestamp_seconds{command="apply"}')
[ -n "$first_success" ] && ok "a last success time: $first_success" || fail "no last success"

expect 0 "plan --metrics after the apply" -- $P plan --detailed-exitcode --metrics $F
promcheck
out=$(cat $F)
contains 'pkiform_pending_changes{cluster="web"} 0'
# The expiry of what web1 serves, as openssl reads it from the host.
served=$(host_ssh 127.0.106.1 'openssl x509 -noout -enddate -in /srv/pkiform-host/tls/server.pem' | cut -d= -f2)
want=$(date -d "$served" +%s)
got=$(metric 'pkiform_certificate_expiry_timestamp_seconds{cluster="web",peer="web1.fleet.test",kind="identity",slot="nginx"}')
[ "$got" = "$want" ] && ok "web1's identity expiry is $want" || fail "web1's identity expiry: $got, want $want"
contains 'kind="trust",store="/srv/pkiform-host/trust/corp-bundle.pem",subject="CN=pkiform fleet CA, O=Example Ltd"'

# A failing apply (a reload that does not reload: rolled back) keeps the last success.
sleep 1
sed -i -e 's/      renewBefore: 30d/      renewBefore: 29d/' -e "s#      reload: nginx .*#      reload: 'true'#" \
  -e 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, api.fleet.test]/' $M
grep -q "reload: 'true'" $M && ok "the reload does nothing now" || fail "manifest edit"
sed -i 's/      duration: 90d/      extraDnsNames: [api.fleet.test]\n      duration: 90d/' $M
expect 1 "apply that fails its verification" -- $P apply --auto-approve --metrics $F
promcheck
out=$(cat $F)
contains 'pkiform_last_run_success{command="apply"} 0'
contains 'pkiform_change_failures{cluster="web"} 1'
[ "$(metric 'pkiform_last_success_timestamp_seconds{command="apply"}')" = "$first_success" ] \
  && ok "the last success stays $first_success" || { fail "last success changed"; cat $F; }
after_fail=$(metric 'pkiform_last_run_timestamp_seconds{command="apply"}')
[ "$after_fail" != "$first_success" ] && ok "the last run moved on" || fail "last run"

# Nothing else in the folder: the file was replaced, no temporary file left beside it.
[ "$(ls textfile)" = "pkiform.prom" ] && ok "no temporary file left" || { fail "textfile/ holds: $(ls textfile)"; }
expect 1 "a metrics path that cannot be written" -- $P plan --metrics no/such/dir/x.prom
contains "--metrics no/such/dir/x.prom"
finish
