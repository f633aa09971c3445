-- wrk script for `make bench-web`: sends the requests listed in the file $BENCH_REQUESTS, one
-- "METHOD PATH [BODY]" per line; thread n of $BENCH_THREADS takes lines n, n + threads, ...
-- and goes round them. $BENCH_COOKIE and $BENCH_CSRF (for POSTs) sign the requests in;
-- $BENCH_HTMX=1 sends HX-Request. done() prints one JSON line for bench/web.py.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    all[#all + 1] = line
  end
  local step = tonumber(os.getenv("BENCH_THREADS"))
  mine = {}
  for i = id + 1, #all, step do
    mine[#mine + 1] = all[i]
  end
  if #mine == 0 then mine = all end  -- fewer lines than threads: all repeat the same
  position = 0
  server_errors = 0
  unexpected = 0
  headers = {}
  local cookie = os.getenv("BENCH_COOKIE") or ""
  if cookie ~= "" then headers["Cookie"] = cookie end
  local csrf = os.getenv("BENCH_CSRF") or ""
  if csrf ~= "" then headers["X-CSRFToken"] = csrf end
  if os.getenv("BENCH_HTMX") == "1" then headers["HX-Request"] = "true" end
  expected = tonumber(os.getenv("BENCH_STATUS") or "200")
end

function request()
  position = position % #mine + 1
  local method, path, body = mine[position]:match("^(%S+) (%S+) ?(.*)$")
  local these = {}
  for k, v in pairs(headers) do these[k] = v end
  if body ~= "" then
    these["Content-Type"] = "application/x-www-form-urlencoded"
  else
    body = nil
  end
  return wrk.format(method, path, these, body)
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local errors, wrong = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("server_errors")
    wrong = wrong + thread:get("unexpected")
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "server_errors": %d, "unexpected": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    errors, wrong))
end
