#pragma once
// The limits of the HTTP surface, in one place: body sizes per route family and the framing
// bounds of a request. Field limits (characters of an id, items of a batch) sit with the field
// rules in core/fields.hpp; the time limits a host can tune are the defaults of ServeConfig
// (server/config.hpp), which the option table, `--help` and the README all read.

#include <cstddef>
#include <cstdint>

namespace stockbell {

/// Body limits (README "Errors"): larger bodies get 413 `payload_too_large`.
constexpr size_t kMaxRequestBodyBytes = 64 * 1024;   ///< `POST /api/v1/back-in-stock`
constexpr size_t kMaxUpsertBodyBytes = 1024 * 1024;  ///< `POST /api/v1/products`
constexpr size_t kMaxWebhookBodyBytes = 16 * 1024;   ///< `POST|PATCH /api/v1/webhooks...`
constexpr size_t kMaxSettingsBodyBytes = 16 * 1024;  ///< `PATCH /api/v1/settings`
constexpr size_t kMaxInventoryBodyBytes = 1024 * 1024;   ///< `POST /api/v1/inventory`
constexpr size_t kMaxOrderBodyBytes = 256 * 1024;        ///< `POST /api/v1/orders`
constexpr size_t kMaxIntegrationBodyBytes = 16 * 1024;   ///< `PUT /api/v1/integrations/...`
/// A store platform's webhook delivery (a Shopify product with 100 variants is ~200 KB).
constexpr size_t kMaxPlatformBodyBytes = 1024 * 1024;
/// `PUT /api/v1/templates/{name}/{locale}` and its preview: three parts of up to 100,000
/// characters (core/mail_template.hpp), JSON-escaped.
constexpr size_t kMaxTemplateBodyBytes = 1024 * 1024;
/// `POST /u/{token}` and `/c/{token}`: a page's button, or RFC 8058's one-click body
/// (`List-Unsubscribe=One-Click`); the body is not read.
constexpr size_t kMaxShopperFormBytes = 4 * 1024;
/// The largest body any route takes: what the connection layer reads at most.
constexpr size_t kMaxBodyBytes = kMaxUpsertBodyBytes;

/// A request head: header lines (431 beyond) and bytes on top of the body (431 beyond).
constexpr size_t kMaxHeaderLines = 100;
constexpr size_t kMaxHeadBytes = 64 * 1024;

/// After a webhook secret is rotated, the old secret signs too for this long.
constexpr int64_t kSecretRotationGraceMs = 24 * 3600 * 1000;

/// A key the server has seen stays trusted in memory this long: a key revoked by
/// `stockbell keys revoke` stops working within this time.
constexpr int64_t kKeyCacheTtlMs = 5'000;

/// The dashboard (README "Dashboard"): a `stockbell dashboard-url` link works once, this long.
constexpr int64_t kSignInLinkTtlMs = 15 * 60 * 1000;
/// A dashboard session ends after this long without a request, and this long after sign-in.
constexpr int64_t kSessionIdleMs = 12LL * 3600 * 1000;
constexpr int64_t kSessionMaxMs = 7LL * 24 * 3600 * 1000;
/// A session's last use is written at most this often (a page load makes several calls).
constexpr int64_t kSessionTouchMs = 60 * 1000;

}  // namespace stockbell
