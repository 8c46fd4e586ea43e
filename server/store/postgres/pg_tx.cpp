// The methods PgTx shares with SQLite (server/store/sql_tx.hpp), compiled for PostgreSQL.

#include "server/store/postgres/pg_tx.hpp"

#include "server/store/sql_tx_catalog.hpp"
#include "server/store/sql_tx_dashboard.hpp"
#include "server/store/sql_tx_keys.hpp"
#include "server/store/sql_tx_mail.hpp"
#include "server/store/sql_tx_ops.hpp"
#include "server/store/sql_tx_orders.hpp"
#include "server/store/sql_tx_platforms.hpp"
#include "server/store/sql_tx_release.hpp"
#include "server/store/sql_tx_requests.hpp"
#include "server/store/sql_tx_webhooks.hpp"

namespace stockbell::server {
template class SqlTx<pg::Database>;
}  // namespace stockbell::server
