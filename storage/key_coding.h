// Order-preserving key primitives shared by every column-family codec
// (leveldb's coding.h). All multi-byte integers in keys are big-endian so
// that bytewise order equals numeric order; strings are escaped and
// terminated so that a field never bleeds into the next one:
//   0x00 -> 0x00 0xFF, terminator 0x00 0x01.
// Every key starts with a one-byte codec version (kKeyCodecV1); a later shard
// prefix goes right after it in a v2 codec.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_KEY_CODING_H_
#define JIANYAN_STORAGE_KEY_CODING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace jianyan::storage {

inline constexpr char kKeyCodecV1 = 0x01;

// Appends `v` as 8 big-endian bytes.
void PutFixed64BE(std::string* dst, uint64_t v);
// Consumes 8 big-endian bytes from `in`. Returns false if too short.
bool GetFixed64BE(absl::string_view* in, uint64_t* v);

// Appends `s` escaped and terminated (order-preserving).
void PutOrderedString(std::string* dst, absl::string_view s);
// Consumes one ordered string from `in`. Returns false on malformed input.
bool GetOrderedString(absl::string_view* in, std::string* out);
// Consumes one ordered string from `in` without decoding it. Returns false
// on malformed input.
bool SkipOrderedString(absl::string_view* in);

// A v1 key of the version byte alone, and of the version byte and one
// ordered string (the shape of many keys and prefixes).
std::string V1Key();
std::string V1Key(absl::string_view s);

// A time as an order-preserving uint64 (microseconds since the Unix epoch
// with the sign bit flipped, so times before 1970 sort first).
uint64_t OrderedTime(absl::Time t);
absl::Time TimeFromOrdered(uint64_t v);

// Little-endian fixed64, the value format of counters.
std::string EncodeFixed64LE(uint64_t v);
// Returns false unless `in` is exactly 8 bytes.
bool DecodeFixed64LE(absl::string_view in, uint64_t* v);

// The smallest string greater than every string with prefix `prefix`
// (increment the last byte that is not 0xFF, dropping what follows). Returns
// "" when no such string exists (all 0xFF): no upper bound.
std::string PrefixSuccessor(absl::string_view prefix);

// Consumes the version byte. Returns false if absent or not kKeyCodecV1.
bool ConsumeVersion(absl::string_view* in);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_KEY_CODING_H_
