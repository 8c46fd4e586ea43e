#pragma once
// How cpp-httplib is set up around the router: every method routed to it, the checks made once
// a request's head is in (before its body is read), and the error and log hooks.

#include "server/config.hpp"
#include "server/http/connection.hpp"
#include "server/http/router.hpp"

namespace stockbell::server {

void configure_transport(HttpServer& http, const ServeConfig& config, Router& router);

}  // namespace stockbell::server
