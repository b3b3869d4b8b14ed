-- wrk script: POST one multipart stamp request (the PDF, the seal, its place, the level) to the seal service's
-- POST /api/v1/stamp, again and again, as an approval system signed in with the development login, and print the
-- rate and the latency percentiles in one line the benchmark can read.
--
--   STAMP_BODY_FILE=body.bin STAMP_BOUNDARY=... wrk -t2 -c2 -d10s -s bench/wrk/stamp.lua http://127.0.0.1:39080
--
-- ./yinxin bench stamp writes the body (StampBenchmark), starts the seal service, checks one answer and runs this.
-- Environment:
--   STAMP_BODY_FILE  the multipart body (required)
--   STAMP_BOUNDARY   its boundary (required)
--   STAMP_CLIENT     the approval system's client id (default approval-system-a, a user of the sample seal)

local function read_body()
  local name = os.getenv("STAMP_BODY_FILE")
  if name == nil or name == "" then
    error("set STAMP_BODY_FILE to a multipart body")
  end
  local file = assert(io.open(name, "rb"))
  local body = file:read("*a")
  file:close()
  return body
end

wrk.method = "POST"
wrk.path = "/api/v1/stamp"
wrk.body = read_body()
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. assert(os.getenv("STAMP_BOUNDARY"))
wrk.headers["X-Dev-Roles"] = "approval-system"
wrk.headers["X-Dev-Client"] = os.getenv("STAMP_CLIENT") or "approval-system-a"

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
