#!/usr/bin/env bash
# OCSP responses per second: Yinxin's responder (RFC 5019 GET, pre-signed) against `openssl ocsp -index` serving
# the same CA, the same OCSP signer and the same certificate, both loaded by wrk on loopback in the same run.
# Then certificates issued per second through the enrolment API (CSR, P-256).
#
#   ./yinxin bench ocsp [SECONDS]   needs wrk, openssl, curl; starts its own Yinxin on ports 28080-28091 / 29432
set -euo pipefail
[ -n "${BENCH_DEBUG:-}" ] && set -x
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_RUN="${1:-10}"
for tool in wrk openssl curl; do
  command -v "$tool" >/dev/null || { echo "bench/ocsp.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
export YINXIN_HOME="$WORK/home" YINXIN_VERIFIER_PORT=28080 YINXIN_CA_PORT=28081 YINXIN_SEAL_PORT=28082 \
       YINXIN_LICENCE_PORT=28083 YINXIN_DB_PORT=29432 YINXIN_OCSP_PORT=28091
OPENSSL_PORT=28090
cleanup() {
  # openssl -multi forks workers that outlive their parent: end them too
  [ -n "${OPENSSL_PID:-}" ] && stop_openssl
  "$ROOT/yinxin" down >/dev/null 2>&1 || true
  [ -n "${BENCH_DEBUG:-}" ] && cp "$WORK"/*.log /tmp/ 2>/dev/null; rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/yinxin" up >/dev/null
JAVA="${YINXIN_JAVA:?run this through ./yinxin bench ocsp, which finds a JDK >= 21}"
KEYS="$YINXIN_HOME/keystores"
cd "$WORK"
cp "$KEYS/ca/seal-ca.pem" "$KEYS/ca/root.pem" .
cp "$(ls "$KEYS"/ca/issued/*.pem | head -n 1)" seal.pem
"$JAVA" -cp "$ROOT/bench/target/bench.jar" cn.yinxin.bench.ExportDevelopmentKey "$KEYS/ca/ca.p12" ocsp-seal-ca ocsp.key ocsp.pem

# openssl's responder: the same CA, signer and certificate (index.txt: status, expiry, revocation, serial, file, subject)
serial="$(openssl x509 -in seal.pem -noout -serial | cut -d= -f2)"
expiry="$(date -u -d "$(openssl x509 -in seal.pem -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)"
subject="$(openssl x509 -in seal.pem -noout -subject -nameopt compat | sed 's/^subject=//')"
printf 'V\t%s\t\t%s\tunknown\t%s\n' "$expiry" "$serial" "$subject" > index.txt
# openssl's responder does not survive the abrupt disconnects at the end of a wrk run (its workers spin at full
# CPU afterwards), so each round gets a fresh one, and it is stopped before our responder is measured.
start_openssl() {
  openssl ocsp -index index.txt -port "$OPENSSL_PORT" -rsigner ocsp.pem -rkey ocsp.key -CA seal-ca.pem -nmin 10 \
    -multi 2 -ignore_err > openssl-ocsp.log 2>&1 &
  OPENSSL_PID=$!
  # wait for its "ACCEPT" line; a probing connection would leave a worker stuck on it
  for _ in $(seq 1 50); do
    grep -q ACCEPT openssl-ocsp.log 2>/dev/null && sleep 0.3 && return
    sleep 0.2
  done
}
stop_openssl() {
  pkill -P "$OPENSSL_PID" 2>/dev/null || true
  kill "$OPENSSL_PID" 2>/dev/null || true
  wait "$OPENSSL_PID" 2>/dev/null || true
  OPENSSL_PID=""
}
start_openssl

openssl ocsp -issuer seal-ca.pem -cert seal.pem -no_nonce -reqout req.der >/dev/null
path="$(base64 -w0 req.der | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')"
for url in "http://localhost:$YINXIN_OCSP_PORT/ocsp/$path" "http://localhost:$OPENSSL_PORT/$path"; do
  curl -sf "$url" -o resp.der || { echo "no answer from $url" >&2; cat openssl-ocsp.log >&2; exit 1; }
  openssl ocsp -respin resp.der -issuer seal-ca.pem -cert seal.pem -CAfile root.pem 2>&1 | grep -q 'seal.pem: good' \
    || { echo "no good answer from $url" >&2; exit 1; }
done

stop_openssl
rate() { wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" "$@" | tee -a wrk.log | awk '/Requests\/sec/ {print $2}'; }
best() { printf '%s\n%s\n' "$1" "$2" | sort -g | tail -n 1; }
rate "http://localhost:$YINXIN_OCSP_PORT/ocsp/$path" >/dev/null   # warm-up: the JVM compiles its hot paths
ours=0; theirs=0
for round in 1 2; do
  start_openssl
  theirs="$(best "$theirs" "$(rate "http://localhost:$OPENSSL_PORT/$path")")"
  stop_openssl
  ours="$(best "$ours" "$(rate "http://localhost:$YINXIN_OCSP_PORT/ocsp/$path")")"
done

# certificates issued per second: the same CSR, a new certificate (new serial) each time
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout k.pem -subj /CN=x -out r.csr 2>/dev/null
csr="$(awk '{printf "%s\\n", $0}' r.csr)"
body="{\"profile\":\"PERSONAL\",\"csr\":\"$csr\",\"subject\":{\"name\":\"Bench\",\"residentId\":\"11010519491231002X\"}}"
curl -sf -H 'Content-Type: application/json' -d "$body" "http://localhost:$YINXIN_CA_PORT/api/v1/enrolments" >/dev/null
cat > enrol.lua <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$body]]
LUA
wrk -t2 -c4 -d"${SECONDS_PER_RUN}s" -s enrol.lua "http://localhost:$YINXIN_CA_PORT/api/v1/enrolments" >/dev/null
wrk -t2 -c4 -d"${SECONDS_PER_RUN}s" -s enrol.lua "http://localhost:$YINXIN_CA_PORT/api/v1/enrolments" > enrol.log
if grep -q "Non-2xx" enrol.log; then echo "enrolments failed under load:" >&2; cat enrol.log >&2; exit 1; fi
issued="$(awk '/Requests\/sec/ {print $2}' enrol.log)"

echo "OCSP GET, one good certificate, wrk -t2 -c16 -d${SECONDS_PER_RUN}s on loopback after a warm-up round, best of 2,"
echo "2 cores shared by wrk and the responder under test (the other one stopped or idle)"
echo "| responder | responses/s |"
echo "|---|---|"
echo "| Yinxin ca-service OCSP listener (pre-signed, Vert.x) | $ours |"
echo "| openssl ocsp -index -multi 2 (signs each) | $theirs |"
awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "ratio Yinxin / openssl: %.2f\n", a / b}'
echo "Certificates issued per second (POST /api/v1/enrolments, CSR P-256, wrk -c4): $issued"
