#!/usr/bin/env bash
# `pkiform status` on the fleet (issue 12, item 4): the text table, --json (checked with jq),
# --expiring-within's exit codes, an issuer's CRL distribution point served over HTTP on
# loopback (fetched, signature verified, nextUpdate reported), an unreachable peer (exit 1,
# the others still reported), --metrics, and --html: the page is opened in headless Chromium,
# which must render it (a non-blank screenshot) with the cluster and peer names and exactly
# one timeline mark per certificate. Chromium missing is a failure, never a skip. The CRL is also
# uploaded to the hosts (revocation.crl.path), whose copies status reads and verifies.
# Loopback block 127.0.107.x only.
# Usage: status.sh PKIFORM PKIFORM_FLEET
if [ -z "${FLEET_DIR:-}" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  "$2" "$work/repo" web1.fleet.test=127.0.107.1,web2.fleet.test=127.0.107.2 -- "$0" "$1" "$2"
  exit
fi
. "$(dirname "$0")/lib.sh"
P=$1
cd "$FLEET_DIR"
M=manifests/web.yaml
I=manifests/issuers.yaml

# The fleet CA's CRL (nextUpdate in 30 days), served by a web server on loopback.
openssl_ca_config root
mkdir -p www
openssl ca -config ca/ca.cnf -gencrl -out www/fleet.crl 2>/dev/null && ok "CRL made" || fail "openssl ca -gencrl"
CRL_ADDR=127.0.107.10
CRL_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.107.10", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind $CRL_ADDR --directory www "$CRL_PORT" >www.log 2>&1 &
http_pid=$!
trap 'kill $http_pid 2>/dev/null' EXIT
for i in $(seq 1 50); do curl -sf -o /dev/null "http://$CRL_ADDR:$CRL_PORT/fleet.crl" && break; sleep 0.1; done
DP="http://$CRL_ADDR:$CRL_PORT/fleet.crl"
sed -i "s#privateKey: ../ca/root.key}#privateKey: ../ca/root.key, crlDistributionPoints: ['$DP']}#" $I
grep -qF "$DP" $I && ok "the issuer names $DP" || fail "issuer edit"
expect 0 "the manifests validate" -- $P validate -q

# The same CRL uploaded to every host (revocation.crl.path), as crl.sh does.
reload=$(sed -n 's/^      reload: //p' $M)
cp www/fleet.crl fleet-upload.crl
cat >> $M <<EOF2
  revocation:
    crl:
      upload: [../fleet-upload.crl]
      path: /srv/pkiform-host/tls/crl.pem
      update: $reload
EOF2
expect 0 "apply" -- $P apply --auto-approve

# The text table.
expect 0 "status" -- $P status --no-color
contains "cluster web (openssh)"
contains "  web1.fleet.test"
contains "  web2.fleet.test"
contains "identity  nginx"
contains "CN=web1.fleet.test, O=Example Ltd, C=GB"
contains "in sync"
lacks "out of sync"
contains "CRL distribution points"
contains "verified by fleet-ca"
contains "crl       /srv/pkiform-host/tls/crl.pem"

# JSON, with jq.
expect 0 "status --json" -- $P status --json
json=$out
check_jq() {
  if printf '%s' "$json" | jq -e "$1" >/dev/null 2>&1; then ok "jq: $1"; else fail "jq: $1"; printf '%s\n' "$json" | head -40; fi
}
check_jq '.clusters | length == 1'
check_jq '.clusters[0].peers | map(.fqdn) == ["web1.fleet.test", "web2.fleet.test"]'
check_jq '[.clusters[0].peers[].certificates[] | select(.kind == "identity")] | length == 2'
check_jq '[.clusters[0].peers[].certificates[] | select(.kind == "identity") | .daysLeft] | all(. == 89)'
check_jq '[.clusters[0].peers[].certificates[] | .inSync] | all(. == true)'
check_jq '.distributionPoints[0].location == "'"$DP"'"'
check_jq '.distributionPoints[0].signatureVerified == true'
check_jq '.distributionPoints[0].warning == null'
check_jq '[.clusters[0].peers[].crls[] | select(.source == "uploaded" and .signatureVerified and .issuer == "fleet-ca")] | length == 2'
check_jq '.clusters[0].peers[0].crls[0].nextUpdate == .distributionPoints[0].nextUpdate'
marks_wanted=$(printf '%s' "$json" | jq '[.clusters[].peers[].certificates[] | select(.notAfter != null)] | length')
[ "$marks_wanted" = 4 ] && ok "4 certificates (2 identities, 2 trust entries)" || fail "certificates: $marks_wanted"
# What the host serves, as openssl reads it.
served=$(host_ssh 127.0.107.1 'openssl x509 -noout -enddate -in /srv/pkiform-host/tls/server.pem' | cut -d= -f2)
want=$(date -u -d "$served" +%Y-%m-%dT%H:%M:%SZ)
check_jq '.clusters[0].peers[0].certificates[0].notAfter == "'"$want"'"'

# --expiring-within: the CRL's nextUpdate is 30 days away, the identities 89.
expect 0 "--expiring-within 20d: nothing" -- $P status --expiring-within 20d
expect 2 "--expiring-within 31d: the CRL" -- $P status --expiring-within 31d
contains "distribution point $DP: nextUpdate"
contains "web/web1.fleet.test crl /srv/pkiform-host/tls/crl.pem: nextUpdate"
expect 2 "--expiring-within 100d: the identities too" -- $P status --expiring-within 100d
contains "web/web1.fleet.test identity nginx: notAfter"
expect 2 "--now after the CRL's nextUpdate: V12" -- $P status --now "$(date -u -d '+40 days' +%Y-%m-%dT%H:%M:%SZ)" --expiring-within 1d
contains "has passed: every certificate its CA issued is treated as revoked (V12)"
expect 1 "a bad duration" -- $P status --expiring-within soon
contains "--expiring-within soon: not a duration"

# --metrics
expect 0 "status --metrics" -- $P status --metrics status.prom
out=$(cat status.prom)
contains 'pkiform_last_run_success{command="status"} 1'
contains 'pkiform_certificate_expiry_timestamp_seconds{cluster="web",peer="web1.fleet.test",kind="identity",slot="nginx"}'

# --html, rendered by headless Chromium.
expect 1 "status --html into a missing folder" -- $P status --html report/status.html
contains "--html report/status.html"
mkdir -p report
expect 0 "status --html into a folder" -- $P status --html report/status.html
[ "$(ls report)" = "status.html" ] && ok "only the page, no temporary file" || fail "report/ holds: $(ls report)"
page=$FLEET_DIR/report/status.html
out=$(cat "$page")
contains "Content-Security-Policy"
lacks "<script"
lacks "src="
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  fail "chromium is not installed (Debian's chromium package; scripts/install-deps installs it)"
else
  flags=(--headless --no-sandbox --disable-gpu --user-data-dir="$FLEET_DIR/chromium-profile" --window-size=1200,900)
  timeout 120 "$chrome" "${flags[@]}" --screenshot="$FLEET_DIR/report/shot.png" "file://$page" >chromium.log 2>&1
  if python3 - "$FLEET_DIR/report/shot.png" <<'PY'; then ok "the screenshot is a PNG with a drawn page"; else fail "screenshot"; cat chromium.log; fi
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, depth, ctype = 8, b"", 0, 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), width * bpp
prev, colours = bytearray(stride), set()
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 7):
        colours.add(bytes(line[x:x + 3]))
    prev = line
print(f"{width}x{height}, {len(colours)} colours sampled")
assert (width, height) == (1200, 900), (width, height)
assert len(colours) >= 8, "the page looks blank"
PY
  dom=$(timeout 120 "$chrome" "${flags[@]}" --dump-dom "file://$page" 2>>chromium.log)
  out=$dom
  contains "Cluster web"
  contains '<h3 class="peer">web1.fleet.test</h3>'
  contains '<h3 class="peer">web2.fleet.test</h3>'
  contains "CRL freshness"
  contains "/srv/pkiform-host/tls/crl.pem"
  contains "$DP"
  marks=$(printf '%s' "$dom" | grep -o 'class="mark ' | wc -l)
  [ "$marks" = "$marks_wanted" ] && ok "the rendered SVG has $marks marks, one per certificate" \
    || fail "the rendered SVG has $marks marks, want $marks_wanted"
  [ "$(printf '%s' "$dom" | grep -o '<svg' | wc -l)" = 1 ] && ok "one SVG chart" || fail "SVG chart count"
fi

# An unreachable peer: reported with its error, the others still shown, exit 1.
cp $M web.yaml.orig
sed -i 's/^    - {fqdn: web2.fleet.test, address: 127.0.107.2}$/&\n    - {fqdn: web3.fleet.test, address: 127.0.107.3}/' $M
grep -q web3.fleet.test $M && ok "web3 added" || fail "manifest edit"
expect 1 "status with an unreachable peer" -- $P status --no-color
contains "web3.fleet.test: unreachable"
contains "  web1.fleet.test"
contains "In sync: unknown"
expect 1 "status --json with an unreachable peer" -- $P status --json
json=$(printf '%s' "$out" | sed -n '/^{/,/^}/p')
check_jq '.clusters[0].peers[2].reachable == false'
check_jq '.clusters[0].peers[0].reachable == true'
cp web.yaml.orig $M

# A distribution point that serves something else: an error, exit 1.
echo "not a CRL" > www/fleet.crl
expect 1 "a distribution point serving garbage" -- $P status
contains "$DP"
finish
