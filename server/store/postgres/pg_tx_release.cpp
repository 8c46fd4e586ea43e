// PgTx: release schedules (core/release.hpp), places in line, expiry of waiting requests.

#include <stdexcept>

#include "server/store/db_values.hpp"
#include "server/store/postgres/pg_tx.hpp"

namespace stockbell::server::pg {
std::optional<ReleaseSchedule> PgTx::release_schedule(int64_t target_id) {
  // In a write the schedule is locked: two processes running the same due batch take turns,
  // and the second sees the batch done (exactly once across processes).
  Statement& st = db_.cached(
      writing_ ? "SELECT next_batch_at, released FROM release_schedules WHERE target_id = ?"
                 " FOR UPDATE"
               : "SELECT next_batch_at, released FROM release_schedules WHERE target_id = ?");
  st.bind(1, target_id);
  std::optional<ReleaseSchedule> schedule;
  if (st.step()) schedule = ReleaseSchedule{st.int64(0), st.int64(1)};
  st.reset();
  return schedule;
}

}  // namespace stockbell::server::pg
