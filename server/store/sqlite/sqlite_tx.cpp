// The methods SqliteTx shares with PostgreSQL (server/store/sql_tx.hpp), compiled for SQLite.

#include "server/store/sqlite/sqlite_tx.hpp"

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
template class SqlTx<Database>;
}  // namespace stockbell::server
