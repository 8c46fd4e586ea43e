#pragma once
// What several server tests share: a temporary directory and writing files into it.
//
//   stockbell::testing::TempDir dir;                 // removed with everything in it
//   write_file(dir.file("web/index.html"), "<p>");   // parent folders are created

#include <string>

namespace stockbell::testing {

/// A fresh directory under STOCKBELL_TEST_TMP_DIR (the build tree), removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Writes `content` to `path`, creating missing parent directories; throws on failure.
void write_file(const std::string& path, const std::string& content);

}  // namespace stockbell::testing
