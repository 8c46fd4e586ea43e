-- wrk script: POST /api/v1/back-in-stock with a distinct e-mail on every request.
-- The key comes from the environment (STOCKBELL_BENCH_KEY); each wrk thread numbers its own
-- requests with its thread id, so e-mails never repeat across threads.
local counter = 0
thread_id = 0  -- a global: setup() sets it per thread with thread:set()
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- bench/postgres gives each server process its own product (STOCKBELL_BENCH_PRODUCT).
local product = os.getenv("STOCKBELL_BENCH_PRODUCT") or "BENCH-1"
-- STOCKBELL_BENCH_REFUSE=1 (bench/run's "HTTP path alone"): the same request with an address
-- validation refuses (an empty domain label), so the server does everything but the write.
local domain = os.getenv("STOCKBELL_BENCH_REFUSE") == "1" and "bench..example" or "bench.example"

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("STOCKBELL_BENCH_KEY")
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"productId":"%s","variantId":"%s-M","customer":{"email":"t%d-%d@%s"}}',
    product, product, thread_id, counter, domain)
  return wrk.format(nil, "/api/v1/back-in-stock", nil, body)
end
