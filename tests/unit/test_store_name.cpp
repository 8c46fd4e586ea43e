// core/store_name: names given to `stockbell keys create --store NAME`.

#include <doctest/doctest.h>

#include <string>

#include "core/store_name.hpp"

using stockbell::is_valid_store_name;

TEST_CASE("1 to 64 of a-z, 0-9, '_' and '-'") {
  for (const std::string& name : std::initializer_list<std::string>{"demo", "shop-1", "my_store", "a", "0", std::string(64, 'x')}) {
    CAPTURE(name);
    CHECK(is_valid_store_name(name));
  }
}

TEST_CASE("upper case, spaces, dots, non-ASCII, empty and 65 characters are rejected") {
  for (const std::string& name : std::initializer_list<std::string>{"", "Demo", "my store", "shop.example", "größe", "a/b", " demo",
                                 std::string(65, 'x')}) {
    CAPTURE(name);
    CHECK_FALSE(is_valid_store_name(name));
  }
}
