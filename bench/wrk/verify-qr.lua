-- wrk script: POST the text of one signed QR code (YX1:...) to the verifier's POST /api/v1/verify/qr, again and
-- again, and print the rate and the latency percentiles in one line the benchmark can read.
--
--   QR_CODE_FILE=code.txt wrk -t2 -c16 -d10s -s bench/wrk/verify-qr.lua http://127.0.0.1:8080
--
-- Environment:
--   QR_CODE_FILE  file holding the code's text (required); make one with
--                 java -cp bench/target/bench.jar cn.yinxin.bench.VerifyBenchmark --write-qr-code code.txt
--                     --keystores var/keystores
--                 (signed by the sample agency seal of those key stores, which the verifier must trust)
--   QR_BODY       "text" (default: the code as text/plain) or "json" ({"text": "..."}, application/json)
--   QR_PATH       the path (default /api/v1/verify/qr)
--
-- ./yinxin bench verify runs it against a stand-in listener, and against a running verifier with
--   ./yinxin bench verify --only qr --qr-url http://127.0.0.1:8080 --keystores var/keystores
-- (which also measures the raw ES256 rate in the same run and checks the code is VALID before timing).

local function read_code()
  local name = os.getenv("QR_CODE_FILE")
  if name == nil or name == "" then
    error("set QR_CODE_FILE to a file holding the code's text (YX1:...)")
  end
  local file = assert(io.open(name, "r"))
  local text = file:read("*a")
  file:close()
  text = text:gsub("%s+$", "")
  if text:sub(1, 4) ~= "YX1:" then
    error(name .. " does not hold a YX1: code")
  end
  return text
end

local code = read_code()
wrk.method = "POST"
wrk.path = os.getenv("QR_PATH") or "/api/v1/verify/qr"
if os.getenv("QR_BODY") == "json" then
  -- Base45 uses no character that needs escaping in JSON
  wrk.body = '{"text":"' .. code .. '"}'
  wrk.headers["Content-Type"] = "application/json"
else
  wrk.body = code
  wrk.headers["Content-Type"] = "text/plain"
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "yinxin-wrk requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
