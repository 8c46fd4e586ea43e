#pragma once
// CSV exports (`?format=csv` on `GET /api/v1/back-in-stock` and `GET /api/v1/stats/demand`):
// RFC 4180 (comma-separated, CRLF line ends, a cell with `,` `"` CR or LF quoted, `"` doubled),
// UTF-8 with a header row. A cell that a spreadsheet would read as a formula (it begins with
// `=`, `+`, `-`, `@`, tab or CR; OWASP "CSV injection") is prefixed with `'`, so
// `=HYPERLINK("http://evil")` arrives as the text `'=HYPERLINK("http://evil")`. Numbers are
// written by the caller with csv_number and are never prefixed (a count of -1 can't happen, and
// a negative id isn't a formula a spreadsheet runs).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stockbell {

/// One text cell, neutralised and quoted as needed: `a,b` → `"a,b"`, `=1+1` → `'=1+1`,
/// `say "hi"` → `"say ""hi"""`.
std::string csv_cell(std::string_view text);
/// A number cell, as is.
std::string csv_number(int64_t value);

/// Accumulates rows; `take()` hands over what was written so far (a stream sends it in chunks).
class CsvWriter {
 public:
  /// Appends one row of cells already made with csv_cell/csv_number, ended by CRLF.
  void row(const std::vector<std::string>& cells);
  /// Appends one row of text cells (the header row).
  void text_row(const std::vector<std::string_view>& cells);
  size_t size() const { return out_.size(); }
  std::string take();

 private:
  std::string out_;
};

}  // namespace stockbell
