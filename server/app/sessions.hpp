#pragma once
// Signing in to the dashboard (README "Dashboard"), with no password to forget:
//
//   stockbell dashboard-url --db PATH --store STORE
//   → https://host/dashboard/sign-in?token=sbl_...
//
// The link works once, for 15 minutes (kSignInLinkTtlMs). Opening it starts a session: a random
// `sbs_` token in an HttpOnly, SameSite=Strict cookie, which then acts like the store's secret key
// on the API (the router's one access decision, Router::authorize). A session ends after 12 hours
// without a request, 7 days after sign-in, or on sign-out. Links and sessions are stored as
// SHA-256 hashes only: a copy of the database signs no one in.
//
// Changes made with the cookie need the session's CSRF token in `X-CSRF-Token` (synchronizer
// token, derived: SHA-256 of the session token, hex). The page reads it from
// `GET /api/v1/session`, which a foreign page can't (no CORS, and the cookie is SameSite=Strict).

#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "server/app/keys.hpp"
#include "server/store/storage.hpp"

namespace stockbell::server {

/// The dashboard's cookie: `stockbell_session=sbs_...`.
inline constexpr const char* kSessionCookie = "stockbell_session";

class SessionService {
 public:
  explicit SessionService(Storage& storage) : storage_(storage) {}

  /// A new one-time sign-in token (`sbl_...`) for the store; nullopt if there is no such store.
  std::optional<std::string> create_link(const std::string& store_name);
  /// Uses a link's token: a new session token, or forbidden(Refusal::sign_in_link) when the link
  /// is unknown, used or expired.
  Result<std::string> sign_in(std::string_view link_token);
  /// The store of a live session, treated as a secret key; nullopt when it ended.
  std::optional<Principal> authenticate(std::string_view session_token);
  /// Ends the session (a second call changes nothing).
  void sign_out(std::string_view session_token);
  /// The store's name, for the page's header.
  std::optional<std::string> store_name(std::string_view session_token);

  /// The CSRF token of a session (64 hex digits).
  static std::string csrf_token(std::string_view session_token);
  /// Constant-time comparison of a sent CSRF token with the session's.
  static bool csrf_matches(std::string_view session_token, std::string_view sent);

 private:
  Storage& storage_;
};

}  // namespace stockbell::server
