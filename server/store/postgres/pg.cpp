#include "server/store/postgres/pg.hpp"

#include <cstring>

namespace stockbell::server::pg {
namespace {

constexpr unsigned kInt8 = 20;
constexpr unsigned kBytea = 17;
constexpr unsigned kUnknown = 0;

bool lost_state(const std::string& state) {
  return state.compare(0, 2, "08") == 0 || state == "57P01" || state == "57P02" ||
         state == "57P03";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

bool is_postgres_url(std::string_view location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::string to_postgres_sql(std::string_view sql, int& params) {
  std::string out;
  out.reserve(sql.size() + 16);
  params = 0;
  int next = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '?' || c == '$') {
      size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') number = number * 10 + (sql[j++] - '0');
      if (j == i + 1) {
        if (c == '$') {
          out += c;
          continue;
        }
        number = ++next;
      }
      out += '$';
      out += std::to_string(number);
      if (number > params) params = number;
      i = j - 1;
      continue;
    }
    out += c;
  }
  return out;
}

// ---- Statement --------------------------------------------------------------------------------

Statement::~Statement() { clear_result(); }

Statement& Statement::set(int index, std::optional<std::string> value, int format, unsigned type) {
  if (result_ != nullptr) reset();
  const size_t i = static_cast<size_t>(index - 1);
  if (values_.size() <= i) {
    values_.resize(i + 1);
    formats_.resize(i + 1, 0);
    types_.resize(i + 1, kUnknown);
  }
  values_[i] = std::move(value);
  formats_[i] = format;
  types_[i] = type;
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  return set(index, std::to_string(value), 0, kInt8);
}
Statement& Statement::bind(int index, std::string_view value) {
  return set(index, std::string(value), 0, kUnknown);
}
Statement& Statement::bind_blob(int index, const void* data, size_t size) {
  return set(index, std::string(static_cast<const char*>(data), size), 1, kBytea);
}
Statement& Statement::bind_null(int index) { return set(index, std::nullopt, 0, kUnknown); }

void Statement::clear_result() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  decoded_.clear();
}

void Statement::execute() {
  int params = 0;
  const std::string pg_sql = to_postgres_sql(sql_, params);
  std::vector<unsigned> types = types_;
  types.resize(static_cast<size_t>(params), kUnknown);
  const std::string& name = db_->prepared(pg_sql, types, params);
  std::vector<const char*> values(static_cast<size_t>(params), nullptr);
  std::vector<int> lengths(static_cast<size_t>(params), 0);
  std::vector<int> formats(static_cast<size_t>(params), 0);
  for (size_t i = 0; i < values_.size() && i < values.size(); ++i) {
    if (!values_[i]) continue;
    values[i] = values_[i]->data();
    lengths[i] = static_cast<int>(values_[i]->size());
    formats[i] = formats_[i];
  }
  result_ = db_->check(PQexecPrepared(db_->handle(), name.c_str(), params, values.data(),
                                      lengths.data(), formats.data(), 0),
                       sql_);
  // Like sqlite3_changes(): rows an INSERT, UPDATE or DELETE wrote; a SELECT changes nothing.
  const char* tuples = PQcmdTuples(result_);
  const std::string_view command = PQcmdStatus(result_);
  const bool writes = command.rfind("INSERT", 0) == 0 || command.rfind("UPDATE", 0) == 0 ||
                      command.rfind("DELETE", 0) == 0;
  changes_ = (writes && tuples != nullptr && *tuples != '\0') ? std::stoll(tuples) : 0;
  if (writes) db_->set_changes(changes_);
  row_ = -1;
}

bool Statement::step() {
  if (result_ == nullptr) execute();
  decoded_.clear();
  ++row_;
  return row_ < PQntuples(result_);
}

void Statement::run() {
  if (result_ == nullptr) execute();
  reset();
}

void Statement::reset() {
  clear_result();
  values_.clear();
  formats_.clear();
  types_.clear();
}

bool Statement::is_null(int column) const { return PQgetisnull(result_, row_, column) != 0; }

int64_t Statement::int64(int column) const {
  if (is_null(column)) return 0;
  const char* v = PQgetvalue(result_, row_, column);
  if (v[0] == 't' && v[1] == '\0') return 1;
  if (v[0] == 'f' && v[1] == '\0') return 0;
  return std::strtoll(v, nullptr, 10);
}

std::string_view Statement::text(int column) const {
  if (is_null(column)) return {};
  const char* v = PQgetvalue(result_, row_, column);
  const int length = PQgetlength(result_, row_, column);
  if (PQftype(result_, column) != kBytea) return std::string_view(v, static_cast<size_t>(length));
  auto found = decoded_.find(column);
  if (found == decoded_.end()) {
    std::string bytes;
    if (length >= 2 && v[0] == '\\' && v[1] == 'x')
      for (int i = 2; i + 1 < length; i += 2)
        bytes += static_cast<char>(hex_value(v[i]) * 16 + hex_value(v[i + 1]));
    found = decoded_.emplace(column, std::move(bytes)).first;
  }
  return found->second;
}

std::optional<std::string> Statement::optional_string(int column) const {
  if (is_null(column)) return std::nullopt;
  return string(column);
}

std::optional<int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

// ---- Database ---------------------------------------------------------------------------------

Database::Database(const std::string& url, int64_t statement_timeout_ms) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("08001", "can't connect to PostgreSQL: " + why, true);
  }
  exec("SET synchronous_commit = on; SET TIME ZONE 'UTC'; SET client_min_messages = warning; "
       "SET statement_timeout = " + std::to_string(statement_timeout_ms));
}

Database::~Database() {
  cache_.clear();
  if (conn_ != nullptr) PQfinish(conn_);
}

PGresult* Database::check(PGresult* result, const std::string& what) {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message = PQerrorMessage(conn_);
  if (result != nullptr) PQclear(result);
  const bool lost = PQstatus(conn_) != CONNECTION_OK || lost_state(sqlstate) || sqlstate.empty();
  throw PgError(sqlstate, "PostgreSQL: " + message + " (in: " + what.substr(0, 200) + ")", lost);
}

void Database::exec(const std::string& sql) {
  PQclear(check(PQexec(conn_, sql.c_str()), sql));
}

Statement& Database::cached(const char* sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end())
    found = cache_.emplace(sql, std::make_unique<Statement>(*this, sql)).first;
  found->second->reset();
  return *found->second;
}

const std::string& Database::prepared(const std::string& sql, const std::vector<unsigned>& types,
                                      int params) {
  auto key = std::make_pair(sql, types);
  auto found = prepared_.find(key);
  if (found != prepared_.end()) return found->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  std::vector<Oid> oids(types.begin(), types.end());
  PQclear(check(PQprepare(conn_, name.c_str(), sql.c_str(), params, oids.data()), sql));
  return prepared_.emplace(std::move(key), std::move(name)).first->second;
}

int64_t Database::last_insert_rowid() {
  PGresult* r = check(PQexec(conn_, "SELECT lastval()"), "lastval");
  const int64_t id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
  PQclear(r);
  return id;
}

}  // namespace stockbell::server::pg
