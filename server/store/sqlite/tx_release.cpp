// SqliteTx: release schedules (core/release.hpp), places in line, expiry of waiting requests.

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/sqlite/sqlite_tx.hpp"

namespace stockbell::server {
// The dashboard's demand counter (kept by the triggers of migration 7 on every insert, status
// change and erasure of a request): one row, however long the line.
int64_t SqliteTx::waiting_count(int64_t target_id) {
  Statement& st = db_.cached("SELECT waiting FROM demand WHERE target_id = ?1");
  st.bind(1, target_id);
  const int64_t waiting = st.step() ? st.int64(0) : 0;
  st.reset();
  return waiting;
}

std::optional<ReleaseSchedule> SqliteTx::release_schedule(int64_t target_id) {
  Statement& st =
      db_.cached("SELECT next_batch_at, released FROM release_schedules WHERE target_id = ?");
  st.bind(1, target_id);
  std::optional<ReleaseSchedule> schedule;
  if (st.step()) schedule = ReleaseSchedule{st.int64(0), st.int64(1)};
  st.reset();
  return schedule;
}

}  // namespace stockbell::server
