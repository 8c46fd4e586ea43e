#include "server/app/time_zone.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/settings.hpp"

namespace stockbell::server {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  bool has(size_t n) const { return pos_ + n <= data_.size(); }
  void skip(size_t n) { pos_ += n; }
  int64_t be(size_t n) {  // big-endian signed integer of n bytes
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(data_[pos_ + i]);
    pos_ += n;
    if (n < 8 && (v >> (n * 8 - 1)) & 1) v |= ~uint64_t{0} << (n * 8);
    return static_cast<int64_t>(v);
  }
  unsigned char byte() { return static_cast<unsigned char>(data_[pos_++]); }
  size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

struct Header {
  int64_t isut, isstd, leap, time, type, chars;
};

bool read_header(Bytes& in, Header& h, char* version) {
  if (!in.has(44)) return false;
  const char magic[4] = {static_cast<char>(in.byte()), static_cast<char>(in.byte()),
                         static_cast<char>(in.byte()), static_cast<char>(in.byte())};
  if (std::string_view(magic, 4) != "TZif") return false;
  *version = static_cast<char>(in.byte());
  in.skip(15);
  h = {in.be(4), in.be(4), in.be(4), in.be(4), in.be(4), in.be(4)};
  return h.type > 0 && h.time >= 0 && h.chars >= 0 && h.leap >= 0 && h.isut >= 0 && h.isstd >= 0;
}

}  // namespace

std::shared_ptr<const TimeZone> TimeZone::parse(std::string_view bytes) {
  Bytes in(bytes);
  Header h{};
  char version = 0;
  if (!read_header(in, h, &version)) return nullptr;
  size_t time_size = 4;
  if (version >= '2') {  // skip the 32-bit block; the 64-bit one follows with its own header
    const size_t v1 = h.time * 5 + h.type * 6 + h.chars + h.leap * 8 + h.isstd + h.isut;
    if (!in.has(v1)) return nullptr;
    in.skip(v1);
    if (!read_header(in, h, &version)) return nullptr;
    time_size = 8;
  }
  if (!in.has(h.time * (time_size + 1) + h.type * 6)) return nullptr;
  auto zone = std::make_shared<TimeZone>();
  std::vector<int64_t> times(h.time);
  for (int64_t& t : times) t = in.be(time_size);
  std::vector<unsigned char> index(h.time);
  for (unsigned char& i : index) i = in.byte();
  std::vector<int64_t> offsets(h.type);
  for (int64_t& o : offsets) {
    o = in.be(4);
    in.skip(2);  // isdst, abbreviation index
  }
  for (size_t i = 0; i < times.size(); ++i) {
    if (index[i] >= offsets.size()) return nullptr;
    zone->transitions_.push_back(times[i]);
    zone->offsets_.push_back(offsets[index[i]]);
  }
  zone->initial_ = offsets[0];
  return zone;
}

int64_t TimeZone::offset_ms(int64_t unix_ms) const {
  const int64_t seconds = floor_div(unix_ms, 1000);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), seconds);
  if (it == transitions_.begin()) return initial_ * 1000;
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1] * 1000;
}

int64_t TimeZone::local_day(int64_t unix_ms) const {
  return floor_div(unix_ms + offset_ms(unix_ms), kDayMs);
}

std::shared_ptr<const TimeZone> TimeZones::find(std::string_view name) {
  if (name == "UTC") {
    static const auto utc = std::make_shared<const TimeZone>();
    return utc;
  }
  if (!is_time_zone_name(name)) return nullptr;  // never a path outside the directory
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = zones_.find(name); it != zones_.end()) return it->second;
  std::ifstream in(directory_ + "/" + std::string(name), std::ios::binary);
  std::shared_ptr<const TimeZone> zone;
  if (in) {
    std::ostringstream bytes;
    bytes << in.rdbuf();
    zone = TimeZone::parse(bytes.str());
  }
  if (zone) zones_.emplace(std::string(name), zone);  // unknown names are not remembered
  return zone;
}

}  // namespace stockbell::server
