#pragma once
// The request a thread is answering, as the log, the metrics and the error envelope see it: its
// id (`X-Request-Id`), the route template it matched, its store and when it began. A worker
// begins one per request before httplib parses it; the connection front begins one before it
// answers a request itself (a refusal from the head alone).

#include <chrono>
#include <string>

namespace stockbell::server {

struct RequestScope {
  std::string id;                   ///< `X-Request-Id`: the client's if sane, else a new one
  std::string route = "unmatched";  ///< the route template, e.g. `/api/v1/webhooks/{}`
  std::string store;                ///< the store's name once a key or session named it
  std::chrono::steady_clock::time_point start;
};

/// The calling thread's request.
RequestScope& current_request();
/// Begins a new request on this thread, with `id` (a new one when empty).
void begin_request(std::string id = {});

/// True for a client's request id worth keeping: 1 to 64 of `A-Z a-z 0-9 - _ . :` (a UUID, a
/// load balancer's trace id). Anything else is replaced, so it can't forge a log line or a header.
bool is_sane_request_id(const std::string& id);
/// The client's id when sane, else a new one (32 hex digits).
std::string request_id_from(const std::string& client_id);

}  // namespace stockbell::server
