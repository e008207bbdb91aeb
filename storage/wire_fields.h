// Top-level fields of a serialized protobuf message, without parsing it:
// what a reader that needs a few fields of a large stored record uses to
// hand the parser only those (a public status needs neither the submitter
// nor the content of its case, and need not parse them). Field order and
// bytes are kept exactly; nothing is validated beyond the wire format
// (tags, varints, lengths, group nesting), so the parse that follows still
// checks the kept fields (UTF-8 and all), and only those.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_WIRE_FIELDS_H_
#define JIANYAN_STORAGE_WIRE_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace jianyan::storage {

struct WireField {
  uint32_t number = 0;
  // 0 varint, 1 fixed64, 2 length-delimited, 3 group (start), 5 fixed32.
  int wire_type = 0;
  absl::string_view whole;    // the tag and the payload, as serialized
  absl::string_view payload;  // wire type 2: the bytes after the length
};

// Calls `f` for each top-level field of the serialized message `in`, in
// order (a group, which the store never writes but protobuf skips as an
// unknown field, is one field up to its end tag). False when `in` is not
// well-formed wire format (a truncated or overlong varint, a tag longer
// than 5 bytes, a length past the end, field number 0, an unmatched end-group
// tag, groups nested more than 128 deep, wire type 6 or 7); `f` may have been
// called for the fields before.
bool ForEachWireField(absl::string_view in,
                      absl::FunctionRef<void(const WireField&)> f);

// Appends field `number` to `out`, length-delimited, with `payload`.
void AppendLengthDelimited(uint32_t number, absl::string_view payload,
                           std::string* out);

// Appends to `out` the top-level fields of `in` whose numbers `keep`
// accepts, byte for byte. False when `in` is malformed (`out` then holds
// a prefix of the result).
bool KeepWireFields(absl::string_view in,
                    absl::FunctionRef<bool(uint32_t)> keep, std::string* out);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_WIRE_FIELDS_H_
