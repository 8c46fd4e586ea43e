-- wrk script: POST /api/v1/back-in-stock with a distinct e-mail on every request.
-- The key comes from the environment (STOCKBELL_BENCH_KEY); each wrk thread numbers its own
-- requests with its thread id, so e-mails never repeat across threads (nor across wrk processes:
-- each has its own STOCKBELL_BENCH_PRODUCT, part of the address).
local counter = 0
thread_id = 0  -- a global: setup() sets it per thread with thread:set()
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

-- bench/postgres gives each server process its own product (STOCKBELL_BENCH_PRODUCT); with
-- STOCKBELL_BENCH_PRODUCTS=N the registrations go round N products (PRODUCT-1 .. PRODUCT-N)
-- instead of one.
local product = os.getenv("STOCKBELL_BENCH_PRODUCT") or "BENCH-1"
local spread = tonumber(os.getenv("STOCKBELL_BENCH_PRODUCTS") or "0")
-- STOCKBELL_BENCH_REFUSE=1 (bench/run's "HTTP path alone"): the same request with an address
-- validation refuses (an empty domain label), so the server does everything but the write.
local domain = string.lower(product) ..
  (os.getenv("STOCKBELL_BENCH_REFUSE") == "1" and "..bench.example" or ".bench.example")

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("STOCKBELL_BENCH_KEY")
end

function request()
  counter = counter + 1
  local id = product
  if spread > 0 then id = string.format("%s-%d", product, (counter * 7 + thread_id) % spread + 1) end
  local body = string.format(
    '{"productId":"%s","variantId":"%s-M","customer":{"email":"t%d-%d@%s"}}',
    id, id, thread_id, counter, domain)
  return wrk.format(nil, "/api/v1/back-in-stock", nil, body)
end
