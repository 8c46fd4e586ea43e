#pragma once
// `stockbell serve`: wires the store, the service and cpp-httplib together and runs until
// SIGTERM/SIGINT, then stops accepting, lets in-flight requests finish and closes the store.

#include "server/config.hpp"

namespace stockbell::server {

/// Runs the server; returns the process exit status.
int serve(const ServeConfig& config);

}  // namespace stockbell::server
