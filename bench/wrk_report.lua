-- Each of wrk's threads opens its connections a moment after the one before (STAGGER_MS):
-- by then the gunicorn worker that took the first thread's connections is busy serving them,
-- and the next connections go to an idle worker. Opened all at once, one worker often took
-- them all (bench/http.py). setup() runs once per thread in wrk's main thread, init() in each
-- thread's own script before the thread starts, so the wait delays only that thread.
STAGGER_MS = 100
local threads = 0

setup = function(thread)
  thread:set("wait_ms", threads * STAGGER_MS)
  threads = threads + 1
end

init = function(args)
  local until_clock = os.clock() + (tonumber(wait_ms) or 0) / 1000
  while os.clock() < until_clock do end
end

-- wrk prints this one JSON line when the run is done; bench/http.py reads it.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
      .. '"p50_us": %d, "p95_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency.max))
end
