// SqliteTx: store platform connections, the deliveries they processed, and what Stockbell
// learnt through them (item → variant links, tracking flags, inventory levels, versions).

#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {

void SqliteTx::save_platform_version(int64_t integration_id, const std::string& resource,
                                     const std::string& id, int64_t updated_at) {
  db_.cached(
         "INSERT INTO platform_versions(integration_id, resource, resource_id, updated_at)"
         " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(integration_id, resource, resource_id)"
         " DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)")
      .bind(1, integration_id)
      .bind(2, resource)
      .bind(3, id)
      .bind(4, updated_at)
      .run();
}

}  // namespace stockbell::server
