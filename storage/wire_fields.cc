#include "storage/wire_fields.h"

namespace jianyan::storage {
namespace {

// Deeper than protobuf's default recursion limit (100), so that whatever
// protobuf parses, this scans.
constexpr int kMaxGroupDepth = 128;

// Consumes a base-128 varint of at most 10 bytes from `in`.
bool GetVarint(absl::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Consumes a tag as protobuf reads one: at most 5 bytes, the value kept
// modulo 2^32 (so the field number is at most 2^29-1).
bool GetTag(absl::string_view* in, uint32_t* tag) {
  uint32_t result = 0;
  for (int i = 0; i < 5; ++i) {
    if (in->empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      *tag = result;
      return true;
    }
  }
  return false;
}

// Consumes `n` bytes of `in` into `taken`.
bool Take(absl::string_view* in, uint64_t n, absl::string_view* taken) {
  if (n > in->size()) return false;
  *taken = in->substr(0, static_cast<size_t>(n));
  in->remove_prefix(static_cast<size_t>(n));
  return true;
}

// Consumes one field's tag and payload from `in` into `field`. `depth`:
// the groups the field is in. Returns false on malformed input, and for
// an end-group tag (`*end_group` then holds its field number).
bool GetField(absl::string_view* in, int depth, WireField* field,
              uint32_t* end_group) {
  const char* start = in->data();
  uint32_t tag = 0;
  if (!GetTag(in, &tag) || (tag >> 3) == 0) return false;
  field->number = tag >> 3;
  field->wire_type = static_cast<int>(tag & 7);
  field->payload = absl::string_view();
  uint64_t n = 0;
  absl::string_view skipped;
  switch (field->wire_type) {
    case 0:
      if (!GetVarint(in, &n)) return false;
      break;
    case 1:
      if (!Take(in, 8, &skipped)) return false;
      break;
    case 2:
      if (!GetVarint(in, &n) || !Take(in, n, &field->payload)) return false;
      break;
    case 3: {  // the fields up to the matching end-group tag
      if (depth >= kMaxGroupDepth) return false;
      WireField inner;
      uint32_t ended = 0;
      while (GetField(in, depth + 1, &inner, &ended)) {
      }
      if (ended != field->number) return false;
      break;
    }
    case 4:
      *end_group = field->number;
      return false;
    case 5:
      if (!Take(in, 4, &skipped)) return false;
      break;
    default:  // 6 and 7 do not exist
      return false;
  }
  field->whole =
      absl::string_view(start, static_cast<size_t>(in->data() - start));
  return true;
}

}  // namespace

bool ForEachWireField(absl::string_view in,
                      absl::FunctionRef<void(const WireField&)> f) {
  while (!in.empty()) {
    WireField field;
    uint32_t end_group = 0;
    if (!GetField(&in, 0, &field, &end_group)) return false;
    f(field);
  }
  return true;
}

void AppendLengthDelimited(uint32_t number, absl::string_view payload,
                           std::string* out) {
  PutVarint((static_cast<uint64_t>(number) << 3) | 2, out);
  PutVarint(payload.size(), out);
  out->append(payload.data(), payload.size());
}

bool KeepWireFields(absl::string_view in,
                    absl::FunctionRef<bool(uint32_t)> keep, std::string* out) {
  return ForEachWireField(in, [&](const WireField& field) {
    if (keep(field.number)) out->append(field.whole.data(), field.whole.size());
  });
}

}  // namespace jianyan::storage
