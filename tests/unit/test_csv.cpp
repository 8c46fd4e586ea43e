// core/csv: RFC 4180 cells and rows, and the OWASP CSV-injection rule.

#include <doctest/doctest.h>

#include "core/csv.hpp"

using namespace stockbell;

TEST_CASE("plain cells stay as they are; commas, quotes and line breaks are quoted") {
  CHECK(csv_cell("Linen shirt") == "Linen shirt");
  CHECK(csv_cell("") == "");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
  CHECK(csv_cell("cr\rhere") == "\"cr\rhere\"");
  CHECK(csv_cell("Größe – Weiß") == "Größe – Weiß");  // UTF-8 passes through
}

TEST_CASE("a cell a spreadsheet would run as a formula is neutralised with a leading quote") {
  CHECK(csv_cell("=1+1") == "'=1+1");
  CHECK(csv_cell("+33 1 23") == "'+33 1 23");
  CHECK(csv_cell("-2") == "'-2");
  CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("\rx") == "\"'\rx\"");
  CHECK(csv_cell("=HYPERLINK(\"http://evil\",\"x\")") ==
        "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
  CHECK(csv_cell("a=b") == "a=b");  // only the first character counts
  CHECK(csv_number(-2) == "-2");    // numbers are the caller's, never prefixed
}

TEST_CASE("rows end with CRLF; take() hands over what was written and starts again") {
  CsvWriter out;
  out.text_row({"productId", "title"});
  out.row({csv_cell("SKU-1"), csv_cell("Shirt, blue"), csv_number(3)});
  CHECK(out.size() == 40);
  CHECK(out.take() == "productId,title\r\nSKU-1,\"Shirt, blue\",3\r\n");
  CHECK(out.size() == 0);
  out.text_row({"=x"});
  CHECK(out.take() == "'=x\r\n");
}
