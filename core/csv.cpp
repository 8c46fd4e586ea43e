#include "core/csv.hpp"

namespace stockbell {

std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty()) {
    const char first = text.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
        first == '\r')
      cell += '\'';
  }
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_number(int64_t value) {
  return std::to_string(value);
}

void CsvWriter::row(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out_ += ',';
    out_ += cells[i];
  }
  out_ += "\r\n";
}

void CsvWriter::text_row(const std::vector<std::string_view>& cells) {
  std::vector<std::string> row_cells;
  row_cells.reserve(cells.size());
  for (std::string_view cell : cells) row_cells.push_back(csv_cell(cell));
  row(row_cells);
}

std::string CsvWriter::take() {
  std::string out;
  out.swap(out_);
  return out;
}

}  // namespace stockbell
