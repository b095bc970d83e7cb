-- wrk script: POST /events, each request a fresh Idempotency-Key; args: events per request (1 = one event object),
-- then a label unique to the run (keys of different runs must differ, or a later run's batches are replays)
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = tonumber(args[1] or "1")
  run = args[2] or "run"
  counter = 0
  if n == 1 then
    body = '{"name":"bench-0","value":1}'
  else
    local events = {}
    for i = 1, n do
      events[i] = '{"name":"bench-' .. (i % 10) .. '","value":1}'
    end
    body = "[" .. table.concat(events, ",") .. "]"
  end
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/events",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = run .. "-" .. id .. "-" .. counter}, body)
end

local shown = {}
function response(status, headers, body)
  if status ~= 202 and not shown[status] then -- the first answer of each other status, to say what they were
    shown[status] = true
    io.write("NOT202 ", status, " ", string.sub(body, 1, 300), "\n")
  end
end

function done(summary, latency, requests)
  io.write(string.format("BENCH requests=%d non2xx=%d errors=%d seconds=%.2f p50ms=%.2f p99ms=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
