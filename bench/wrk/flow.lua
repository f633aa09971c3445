-- wrk script for `make bench-web`: each thread (one connection) is a signed-in student taking
-- quick quizzes through the real HTTP flow, over and over: start a quiz of 10, and for each
-- question open it, read its choices from the page and answer one (a typed question: Stalin),
-- with htmx; then open the
-- result. Thread n signs in with line n + 1 of $BENCH_SESSIONS ("cookie csrf-token").
-- done() prints one JSON line for bench/web.py.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    if n == id then
      cookie, csrf = line:match("^(.*) (%S+)$")
    end
    n = n + 1
  end
  math.randomseed(id + 1)
  state = "start"
  quizzes, answers, server_errors, unexpected, locked = 0, 0, 0, 0, 0
end

local function headers(htmx, form)
  local h = {["Cookie"] = cookie, ["X-CSRFToken"] = csrf}
  if htmx then h["HX-Request"] = "true" end
  if form then h["Content-Type"] = "application/x-www-form-urlencoded" end
  return h
end

function request()
  if state == "start" then
    return wrk.format("POST", "/quiz/", headers(false, true), "difficulty=medium&length=10")
  elseif state == "question" then
    return wrk.format("GET", attempt .. "questions/" .. number .. "/", headers(false, false))
  elseif state == "answer" then
    return wrk.format("POST", attempt .. "questions/" .. number .. "/answer/",
                      headers(true, true), choice)
  else
    return wrk.format("GET", attempt .. "result/", headers(false, false))
  end
end

function response(status, hdrs, body)
  if status >= 500 then
    server_errors = server_errors + 1
    if body and body:find("database is locked", 1, true) then locked = locked + 1 end
    state = "start"
    return
  end
  if state == "start" then
    local location = hdrs["Location"] or hdrs["location"] or ""
    attempt = location:match("(/attempts/%d+/)questions/1/$")
    if status == 302 and attempt then
      number, state = 1, "question"
    else
      unexpected = unexpected + 1
    end
  elseif state == "question" then
    local choices = {}
    for value in body:gmatch('name="choice" value="([^"]+)"') do choices[#choices + 1] = value end
    if status == 200 and #choices > 0 then
      choice, state = "choice=" .. choices[math.random(#choices)], "answer"
    elseif status == 200 and body:find('name="typed"', 1, true) then
      choice, state = "typed=Stalin", "answer"
    else
      unexpected, state = unexpected + 1, "start"
    end
  elseif state == "answer" then
    if status == 200 and (body:find("Right!", 1, true) or body:find("Not quite.", 1, true)) then
      answers = answers + 1
      number = number + 1
      if number > 10 then state = "result" else state = "question" end
    else
      unexpected, state = unexpected + 1, "start"
    end
  else
    if status == 200 then quizzes = quizzes + 1 else unexpected = unexpected + 1 end
    state = "start"
  end
end

function done(summary, latency, requests)
  local totals = {quizzes = 0, answers = 0, server_errors = 0, unexpected = 0, locked = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "server_errors": %d, "unexpected": %d, "quizzes": %d, ' ..
    '"answers": %d, "locked": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    totals.server_errors, totals.unexpected, totals.quizzes, totals.answers, totals.locked))
end
