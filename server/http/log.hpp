#pragma once
// Log lines about requests. Never keys, queries or bodies; whatever a request controls is
// escaped so it can't forge a line.

#include <httplib.h>

#include <string>

namespace stockbell::server {

/// `text` with control characters escaped as `\xNN`.
std::string printable(const std::string& text);
/// Logs (stderr) that handling `req` failed with `what`.
void log_failure(const httplib::Request& req, const char* what);
/// Logs (stderr) that `req` was refused and why (a store platform's delivery Stockbell could not
/// apply: the platform's own logs show only the status).
void log_refusal(const httplib::Request& req, const std::string& why);

}  // namespace stockbell::server
