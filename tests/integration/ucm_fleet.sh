#!/usr/bin/env bash
# A mixed fleet (issue 9): an openssh host beside a simulated Cisco Unified CM
# publisher and subscriber (pkiform-sim). The repository pkiform_fleet writes
# validates; the appliances take their administrator's password (never a key),
# offer only their CLI on a PTY (no exec), and serve tomcat over HTTPS.
# Needs a build with the pkiform-sim target (else pkiform_fleet stops: "no pkiform-sim").
# Usage: ucm_fleet.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # Not exec: the trap must outlive the fleet to remove the repository (it holds the CA keys).
  "$2" "$work/repo" web1.fleet.test=127.0.92.71,cucm-pub.fleet.test=127.0.92.72:ucm:publisher,cucm-sub.fleet.test=127.0.92.73:ucm:subscriber:unifiedCM:14SU1 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
PUB=127.0.92.72

expect 0 "the mixed repository validates" -- $P validate -f manifests/ --no-color
contains "Cluster ucm [ucm, unified-cm 14SU1]"
contains "Cluster web [openssh]"
[ "$(stat -c %a "$FLEET_UCM_PASSWORD_FILE")" = 600 ] && ok "the appliance password file is 0600" || fail "password file mode"

askpass=$(mktemp); trap 'rm -f "$askpass"' EXIT
printf '#!/bin/sh\nexec cat "%s"\n' "$FLEET_UCM_PASSWORD_FILE" >"$askpass"; chmod 700 "$askpass"
appliance_ssh() {  # appliance_ssh [SSH OPTIONS...] ADDRESS [COMMAND]: as the administrator, with the password
  SSH_ASKPASS=$askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none ssh -p "$FLEET_SSH_PORT" -l "$FLEET_UCM_USER" \
    -o UserKnownHostsFile=known_hosts_ucm -o StrictHostKeyChecking=yes -o NumberOfPasswordPrompts=1 "$@"
}
cp ssh/known_hosts known_hosts_ucm

expect 255 "the fleet's key does not log in as the appliance administrator" -- \
  ssh -i ssh/client_key -p "$FLEET_SSH_PORT" -o BatchMode=yes -o UserKnownHostsFile=known_hosts_ucm \
  -o StrictHostKeyChecking=yes -l "$FLEET_UCM_USER" $PUB true
expect 1 "an exec request on an appliance is refused" -- appliance_ssh -n -T $PUB "show version active"
contains "no exec channel"
cli() { { sleep 1; printf 'show version active\nshow network cluster\n'; sleep 1; printf 'quit\n'; } |
  appliance_ssh -tt $PUB 2>&1 | tr -d '\r'; }
expect 0 "the CLI answers on a PTY (keyboard-interactive or password)" -- cli
contains "admin:"
contains "Active Master Version: 14.0.1.11900-132"
contains "127.0.92.72 cucm-pub.fleet.test cucm-pub Publisher callmanager DBPub authenticated"
contains "127.0.92.73 cucm-sub.fleet.test cucm-sub Subscriber callmanager DBSub authenticated"

served() { echo | timeout 10 openssl s_client -connect "$PUB:$FLEET_HTTPS_PORT" -servername cucm-pub.fleet.test \
  -sigalgs rsa_pss_rsae_sha256:rsa_pkcs1_sha256 2>/dev/null | openssl x509 -noout -subject; }
expect 0 "the publisher serves tomcat over HTTPS" -- served
contains "CN = cucm-pub.fleet.test"

expect 0 "the openssh host is still a Linux host" -- host_ssh 127.0.92.71 'echo $PKIFORM_HOST_ADDRESS'
contains "127.0.92.71"
finish
