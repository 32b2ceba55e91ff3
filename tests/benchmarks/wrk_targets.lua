-- wrk script: spreads requests over many tenants' hosts, each with that tenant's credential.
-- The targets file has one "host<TAB>credential header<TAB>path" line per target, the header written as
-- "Cookie: sessionid=..." or "Authorization: Token ..." (or empty for the bare view).
-- Prints one JSON line at the end with requests, errors and latency percentiles (microseconds).
local targets = {}
local position = 0

function init(args)
  for line in io.lines(args[1]) do
    local host, credential, path = line:match("^([^\t]+)\t([^\t]*)\t([^\t]+)$")
    if host then
      local name, value = credential:match("^([^:]+): (.+)$")
      targets[#targets + 1] = { host = host, header = name, value = value, path = path }
    end
  end
  position = math.random(#targets)
end

function request()
  position = position % #targets + 1
  local target = targets[position]
  local headers = { Host = target.host }
  if target.header then
    headers[target.header] = target.value
  end
  return wrk.format("GET", target.path, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
