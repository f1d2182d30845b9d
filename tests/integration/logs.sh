#!/usr/bin/env bash
# The log: with `--log-format json` every line pkiform writes to stderr while it plans and
# applies is one JSON object (time, level, run id, msg; cluster, peer, change and outcome
# when it is about one), the run id is one per run and new each run, a failing apply says
# failed and rolled-back, -v and -vv add lines, and no secret is ever in it. Text stays as
# it was (the other integration tests grep it).
# Usage: logs.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA key).
  "$2" "$work/repo" web1.fleet.test=127.0.105.1,web2.fleet.test=127.0.105.2 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
C1=web/web1.fleet.test/identity/nginx

# json_log FILE WHAT: every line of FILE is one JSON object with time (RFC 3339 UTC), level,
# a 16-hex-digit run id and msg, and every line about a change names cluster, peer and outcome.
json_log() {
  local lines checked
  lines=$(wc -l < "$1")
  [ "$lines" -gt 0 ] || { fail "$2: no log lines"; return; }
  checked=$(jq -R 'fromjson | type == "object"
      and (.time | type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$"))
      and (.level | IN("debug", "info", "warning", "error"))
      and (.run | type == "string" and test("^[0-9a-f]{16}$"))
      and (.msg | type == "string")
      and (if has("change") then (.cluster and .peer and .outcome) else true end)' "$1" 2>&1 | grep -cx true)
  if [ "$checked" = "$lines" ]; then ok "$2: all $lines stderr lines are JSON log objects"
  else fail "$2: $checked of $lines stderr lines are JSON log objects"; cat "$1"; fi
  [ "$(jq -r .run "$1" | sort -u | wc -l)" = 1 ] && ok "$2: one run id on every line" || fail "$2: several run ids"
}
# has FILE WHAT JQ-FILTER: some line of FILE matches.
has() { if jq -e "select($3)" "$1" | grep -q .; then ok "$2"; else fail "$2"; cat "$1"; fi; }
run_id() { jq -r .run "$1" | head -n1; }

# 1. An apply that installs on both peers.
sed -i 's/      duration: 90d/      extraDnsNames: [www.fleet.test]\n      duration: 90d/' $M
$P apply --auto-approve --log-format json > apply1.out 2> apply1.err && ok "apply (exit 0)" || { fail "apply"; cat apply1.out apply1.err; }
json_log apply1.err "apply"
grep -q "Apply complete" apply1.out && ok "the summary stays on stdout" || fail "summary not on stdout"
grep -q '^{' apply1.out && fail "a log line on stdout" || ok "no log line on stdout"
grep -q "Plan: " apply1.out && ok "the plan stays on stdout" || fail "plan not on stdout"
has apply1.err "a change is applied, with its cluster and peer" \
  ".change == \"$C1\" and .outcome == \"applying\" and .cluster == \"web\" and .peer == \"web1.fleet.test\""
has apply1.err "the handshake proves it" ".change == \"$C1\" and .outcome == \"verified\" and (.msg | startswith(\"web1.fleet.test: verified: nginx serves\"))"
has apply1.err "and the history's outcome is logged" ".change == \"$C1\" and .outcome == \"applied\""
has apply1.err "each peer's outcome" ".peer == \"web2.fleet.test\" and .outcome == \"applied\" and (has(\"change\") | not)"
has apply1.err "restarts name their peer" ".peer == \"web1.fleet.test\" and (.msg | startswith(\"web1.fleet.test: restart: \"))"
run1=$(run_id apply1.err)

# 2. Text is as it was: progress lines bare, no JSON, nothing more without -v; -v adds info lines.
sed -i 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, api.fleet.test]/' $M
expect 0 "apply in text" -- $P apply --auto-approve
contains "web1.fleet.test: verified: nginx serves"
contains "web1.fleet.test: -/+ $C1"
lacks '"run"'
lacks "pkiform: info:"
sed -i 's/extraDnsNames: \[www.fleet.test, api.fleet.test\]/extraDnsNames: [www.fleet.test]/' $M
expect 0 "apply -v in text" -- $P apply --auto-approve -v
contains "web1.fleet.test: verified: nginx serves"
contains "pkiform: info: $C1: applied"
contains "pkiform: info: web/web2.fleet.test: applied: 1 change"

# 3. -vv adds debug lines, which name the peer they are about; plan's lines are JSON too.
$P plan --log-format json -vv > plan.out 2> plan.err && ok "plan -vv (exit 0)" || { fail "plan -vv"; cat plan.err; }
json_log plan.err "plan -vv"
has plan.err "-vv: debug lines, naming their peer" '.level == "debug" and .peer == "web1.fleet.test" and .cluster == "web"'
[ "$(run_id plan.err)" != "$run1" ] && ok "a new run has a new run id" || fail "the run id repeats"
$P plan --log-format json > plan0.out 2> plan0.err && ok "plan (exit 0)" || fail "plan"
[ ! -s plan0.err ] && ok "without -v an in-sync plan logs nothing" || { fail "plan logged"; cat plan0.err; }

# 4. A reload that leaves nginx on its old certificate: failed and rolled back, in JSON.
sed -i -e "s#      reload: nginx .*#      reload: 'true'#" -e 's/extraDnsNames: \[www.fleet.test\]/extraDnsNames: [www.fleet.test, api.fleet.test]/' $M
$P apply --auto-approve --log-format json > fail.out 2> fail.err
[ $? = 1 ] && ok "apply with a reload that does not reload (exit 1)" || { fail "failing apply exit"; cat fail.out fail.err; }
json_log fail.err "failing apply"
grep -q "Apply failed" fail.out && ok "the failure summary stays on stdout" || fail "failure summary"
has fail.err "the change is rolled back" ".change == \"$C1\" and .outcome == \"rolled-back\" and .peer == \"web1.fleet.test\""
has fail.err "the rollback line is a warning" '.outcome == "rolled-back" and .level == "warning" and (.msg | endswith("rolled back to the previous identity"))'
has fail.err "the peer failed" '.peer == "web1.fleet.test" and .outcome == "failed" and .level == "error" and (has("change") | not)'
has fail.err "the next peer is skipped" '.peer == "web2.fleet.test" and .outcome == "skipped"'
run3=$(run_id fail.err)
[ "$run3" != "$run1" ] && ok "the run ids of two applies differ" || fail "the run id repeats"

# 5. A manifest error: JSON too, and no appliance contacted.
sed -i 's/      duration: 90d/      duration: ninety days/' $M
$P plan --log-format json > bad.out 2> bad.err
[ $? = 1 ] && ok "plan of a broken manifest (exit 1)" || fail "broken manifest exit"
json_log bad.err "broken manifest"
has bad.err "the diagnostic is an error line" '.level == "error" and (.msg | test("web.yaml:[0-9]+:[0-9]+: error: "))'
has bad.err "and the verdict" '.msg | endswith("in the manifests; no appliance was contacted")'

# 6. No secret in any output: the SSH client key, any password file of the fleet.
all=$(cat ./*.out ./*.err; printf '%s' "$out")
grep -qF "PRIVATE KEY" <<<"$all" && fail "a private key in the output" || ok "no PEM private key in the output"
leaked=0
while IFS= read -r line; do
  [ "${#line}" -ge 16 ] && grep -qF -- "$line" <<<"$all" && leaked=1
done < <(grep -v -- '-----' ssh/client_key)
[ $leaked = 0 ] && ok "no line of ssh/client_key in the output" || fail "ssh/client_key leaked"
for secret in ssh/*password*; do
  [ -f "$secret" ] || continue
  value=$(head -n1 "$secret")
  [ -n "$value" ] && grep -qF -- "$value" <<<"$all" && fail "$secret's value in the output" || ok "$secret's value is in no output"
done
finish
