// Output of the jianyan client: tables for people, JSON lines for scripts.
//
// In table mode results are aligned columns (display width aware: a Chinese
// character takes two columns, ANSI colour escapes none) or "key  value"
// records. In JSON mode each result is one protobuf-JSON object on its own
// line, with the proto field names (stable: they never change).
//
// Thread-safety: not thread-safe; one per process.
#ifndef JIANYAN_SERVICES_CLI_OUTPUT_H_
#define JIANYAN_SERVICES_CLI_OUTPUT_H_

#include <cstddef>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace jianyan::cli {

// Columns `text` takes on a terminal.
size_t DisplayWidth(absl::string_view text);

// `text` cut to at most `width` columns, with "…" when cut.
std::string Truncate(absl::string_view text, size_t width);

// `message` as one line of protobuf JSON with the proto field names.
std::string ToJsonLine(const google::protobuf::Message& message);

// Aligned columns under a header; the last column is not padded.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void Add(std::vector<std::string> row);
  size_t size() const { return rows_.size(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

class Output {
 public:
  Output(bool json, std::ostream& out) : json_(json), out_(out) {}

  bool json() const { return json_; }
  std::ostream& stream() { return out_; }

  // One JSON line (JSON mode only; ignored in table mode).
  void Json(const google::protobuf::Message& message);
  // "key  value" lines, keys aligned (table mode).
  void Record(const std::vector<std::pair<std::string, std::string>>& fields);
  void Print(const Table& table);

 private:
  bool json_;
  std::ostream& out_;
};

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_OUTPUT_H_
