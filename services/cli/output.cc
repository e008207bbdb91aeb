#include "services/cli/output.h"

#include <algorithm>
#include <ostream>

#include "google/protobuf/util/json_util.h"

namespace jianyan::cli {
namespace {

// Decodes the UTF-8 sequence at text[*i] and advances *i past it; invalid
// bytes count as one code point each.
char32_t NextCodePoint(absl::string_view text, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(text[*i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  char32_t cp = extra == 3 ? c & 0x07 : extra == 2 ? c & 0x0F : c & 0x1F;
  if (extra == 0) cp = c;
  ++*i;
  for (; extra > 0 && *i < text.size(); --extra, ++*i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[*i]) & 0x3F);
  }
  return cp;
}

bool Wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Skips an ANSI escape sequence (ESC [ ... letter) at text[*i], if any.
bool SkipEscape(absl::string_view text, size_t* i) {
  if (text[*i] != '\x1b') return false;
  size_t j = *i + 1;
  if (j < text.size() && text[j] == '[') {
    ++j;
    while (j < text.size() && !(text[j] >= '@' && text[j] <= '~')) ++j;
    if (j < text.size()) ++j;
  }
  *i = j;
  return true;
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    if (SkipEscape(text, &i)) continue;
    width += Wide(NextCodePoint(text, &i)) ? 2 : 1;
  }
  return width;
}

std::string Truncate(absl::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  std::string out;
  size_t used = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const size_t w = Wide(NextCodePoint(text, &i)) ? 2 : 1;
    if (used + w + 1 > width) break;
    used += w;
    out.append(text.data() + start, i - start);
  }
  return out + "…";
}

std::string ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Serialising a valid in-memory message cannot fail.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok()) {
    return "{}";
  }
  return json;
}

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) {
    widths[c] = DisplayWidth(header_[c]);
    for (const auto& row : rows_) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      text += cells[c];
      if (c + 1 < cells.size()) {
        text.append(widths[c] - DisplayWidth(cells[c]) + 2, ' ');
      }
    }
    out << text << "\n";
  };
  line(header_);
  for (const auto& row : rows_) line(row);
}

void Output::Json(const google::protobuf::Message& message) {
  if (json_) out_ << ToJsonLine(message) << "\n" << std::flush;
}

void Output::Record(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [key, value] : fields) {
    width = std::max(width, DisplayWidth(key));
  }
  for (const auto& [key, value] : fields) {
    out_ << key << std::string(width - DisplayWidth(key) + 2, ' ') << value
         << "\n";
  }
}

void Output::Print(const Table& table) { table.Print(out_); }

}  // namespace jianyan::cli
