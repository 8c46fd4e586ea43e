#include "core/json.hpp"

#include <vector>

#include "core/text.hpp"

namespace stockbell {
namespace {

// A DOM builder for nlohmann's SAX interface that enforces depth and duplicate-key limits.
class BoundedDomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit BoundedDomBuilder(Json& root) : root_(root) {}

  bool null() { return put(nullptr); }
  bool boolean(bool v) { return put(v); }
  bool number_integer(number_integer_t v) { return put(v); }
  bool number_unsigned(number_unsigned_t v) { return put(v); }
  bool number_float(number_float_t v, const string_t&) { return put(v); }
  bool string(string_t& v) { return put(std::move(v)); }
  bool binary(binary_t& v) { return put(Json::binary(std::move(v))); }

  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& k) {
    Json& object = *stack_.back();
    if (object.contains(k)) {
      failure_ = "duplicate key " + quote(truncate_chars(k, 64));
      return false;
    }
    slot_ = &object[k];
    return true;
  }

  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    failure_ = ex.what();
    return false;
  }

  const std::string& failure() const { return failure_; }

 private:
  // Places a value where the parser is: the root, the next array element, or the last key.
  template <class V>
  Json* place(V&& value) {
    if (stack_.empty()) {
      root_ = Json(std::forward<V>(value));
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.emplace_back(std::forward<V>(value));
      return &parent.back();
    }
    *slot_ = Json(std::forward<V>(value));
    return slot_;
  }

  template <class V>
  bool put(V&& value) {
    place(std::forward<V>(value));
    return true;
  }

  bool open(Json&& container) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth) {
      failure_ = "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Json*> stack_;
  Json* slot_ = nullptr;
  std::string failure_;
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, ...";
// keep the part a person needs.
std::string tidy_parse_message(const std::string& what) {
  std::string text = what;
  const std::string_view noise = "parse error at ";
  if (auto at = text.find(noise); at != std::string::npos) text = text.substr(at + noise.size());
  if (auto bracket = text.find("] "); text.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
    text = text.substr(bracket + 2);
  return text;
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, JsonParseFailure& failure) {
  Json root;
  BoundedDomBuilder builder(root);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) {
    failure.message = tidy_parse_message(builder.failure());
    if (failure.message.empty()) failure.message = "malformed JSON";
    return std::nullopt;
  }
  return root;
}

std::string dump(const OrderedJson& value) {
  return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string quote(std::string_view text) { return dump(Json(std::string(text))); }

}  // namespace stockbell
