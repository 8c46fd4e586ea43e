// server/options: the option table of `stockbell serve`, and README.md's "Configuration" table,
// which must list exactly its flags, with the same environment variables and defaults (as
// ServeOption::shown() prints them for a default ServeConfig). A flag added to options.cpp and
// not to the README (or the other way round, or a changed default) fails here with the rows
// that differ.

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server/config.hpp"
#include "server/options.hpp"

using stockbell::server::serve_options;
using stockbell::server::ServeConfig;
using stockbell::server::ServeOption;

namespace {

/// One row of the Configuration table, cells without their backticks.
struct Row {
  std::string flag;
  std::string env;
  std::string shown;  ///< the default
  std::string help;   ///< the option's help (only shown: the README may word it more fully)
};

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string cell(const std::string& text) {
  std::string out = trim(text);
  out.erase(std::remove(out.begin(), out.end(), '`'), out.end());
  return out;
}

/// The rows (lines starting with "| `--") of README.md's "## Configuration" section.
std::vector<Row> readme_rows() {
  std::ifstream in(STOCKBELL_README_PATH);
  REQUIRE_MESSAGE(in.good(), "cannot read " << STOCKBELL_README_PATH);
  std::vector<Row> rows;
  bool in_section = false;
  bool header_seen = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Configuration";
    if (!in_section) continue;
    if (line == "| flag | environment | default | meaning |") header_seen = true;
    if (line.rfind("| `--", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream parts(line.substr(1));
    for (std::string part; std::getline(parts, part, '|');) cells.push_back(part);
    INFO("README row: " << line);
    REQUIRE(cells.size() >= 4);  // flag, environment, default, meaning
    rows.push_back(Row{cell(cells[0]), cell(cells[1]), cell(cells[2]), trim(cells[3])});
  }
  CHECK_MESSAGE(header_seen,
                "README.md's Configuration table has no header "
                "\"| flag | environment | default | meaning |\"");
  return rows;
}

/// A table row as it could be written in the README.
std::string show(const Row& row) {
  return "| `" + row.flag + "` | `" + row.env + "` | " + row.shown + " | " + row.help + " |";
}

}  // namespace

TEST_CASE("README.md's Configuration table lists every serve flag, its variable and default") {
  const ServeConfig defaults;
  std::map<std::string, Row> expected;
  for (const ServeOption& o : serve_options())
    expected[o.flag] = Row{o.flag, o.env, o.shown(defaults), o.help};

  std::map<std::string, Row> listed;
  std::string problems;
  for (const Row& row : readme_rows()) {
    if (!listed.emplace(row.flag, row).second)
      problems += "  listed twice in README.md: " + show(row) + "\n";
  }
  for (const auto& [flag, row] : expected) {
    auto it = listed.find(flag);
    if (it == listed.end())
      problems += "  missing from README.md:    " + show(row) + "\n";
    else if (it->second.env != row.env || it->second.shown != row.shown)
      problems += "  README.md says:            " + show(it->second) +
                  "\n    the option table says:   " + show(row) + "\n";
  }
  for (const auto& [flag, row] : listed)
    if (expected.count(flag) == 0) problems += "  not a serve option:        " + show(row) + "\n";
  CHECK_MESSAGE(problems.empty(),
                "README.md \"## Configuration\" vs serve_options() "
                "(defaults as ServeOption::shown prints them):\n"
                    << problems);
}

TEST_CASE("every option's variable is STOCKBELL_ + its flag in upper case") {
  std::set<std::string> flags;
  for (const ServeOption& o : serve_options()) {
    std::string env = "STOCKBELL_";
    for (const char* c = o.flag + 2; *c != '\0'; ++c)
      env += *c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    INFO(o.flag);
    CHECK(std::string(o.flag).rfind("--", 0) == 0);
    CHECK(o.env == env);
    CHECK(flags.insert(o.flag).second);  // each flag once
  }
}

TEST_CASE("shown() prints numbers, off/on for switches, none for an empty text") {
  ServeConfig config;
  auto shown = [&](const std::string& flag) {
    for (const ServeOption& o : serve_options())
      if (flag == o.flag) return o.shown(config);
    FAIL("no option " << flag);
    return std::string();
  };
  CHECK(shown("--port") == "8080");
  CHECK(shown("--demo") == "off");
  CHECK(shown("--trusted-proxies") == "none");
  CHECK(shown("--web-root") == "build-wasm/web of the build");
  config.demo = true;
  config.trusted_proxies = "10.0.0.0/8";
  config.port = 0;
  CHECK(shown("--demo") == "on");
  CHECK(shown("--trusted-proxies") == "10.0.0.0/8");
  CHECK(shown("--port") == "0");
}

TEST_CASE("assign() takes numbers in range and switch words, and says what is wrong") {
  auto option = [](const std::string& flag) -> const ServeOption& {
    for (const ServeOption& o : serve_options())
      if (flag == o.flag) return o;
    FAIL("no option " << flag);
    return serve_options().front();
  };
  ServeConfig config;
  CHECK_FALSE(option("--port").assign(config, "9000").has_value());
  CHECK(config.port == 9000);
  CHECK(option("--port").assign(config, "65536") ==
        std::optional<std::string>("--port must be a number from 0 to 65535, not '65536'"));
  CHECK(option("--port").assign(config, "-1").has_value());
  CHECK(option("--port").assign(config, "80x").has_value());
  CHECK(config.port == 9000);  // a refused value changes nothing

  for (const char* yes : {"1", "true", "yes", "on"}) {
    config.demo = false;
    CHECK_FALSE(option("--demo").assign(config, yes).has_value());
    CHECK(config.demo);
  }
  for (const char* no : {"0", "false", "no", "off", ""}) {
    config.demo = true;
    CHECK_FALSE(option("--demo").assign(config, no).has_value());
    CHECK_FALSE(config.demo);
  }
  CHECK(option("--demo").assign(config, "maybe") ==
        std::optional<std::string>("--demo must be true or false, not 'maybe'"));
}
