// Open-case counters: how many cases are open in each (kind, state), kept
// in the `counters` family next to the rate counters so that a metrics
// scrape reads a handful of keys instead of scanning cases.
//
//   key:   v1 | 'O' | u8(kind) | str(state)
//   value: uint64 little-endian, summed by Uint64AddOperator; a case that
//          leaves the state merges 2^64-1 (-1 modulo 2^64).
//
// Every command stages, in its own WriteBatch, -1 for the (kind, state) the
// case was open in and +1 for the one it is open in after (nothing when
// both are the same). Stores written before these counters existed get
// them once at open (BackfillOpenCaseCounters, marked done by the meta key
// "open_case_counters"). CaseStore::Verify re-derives them from the cases.
//
// Thread-safety: pure functions, except the two that use `db` (safe for
// concurrent use as RocksDB is).
#ifndef JIANYAN_STORAGE_OPEN_CASES_H_
#define JIANYAN_STORAGE_OPEN_CASES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jianyan/v1/case.pb.h"
#include "rocksdb/db.h"
#include "storage/group_commit.h"

namespace jianyan::storage {

std::string OpenCaseKey(jianyan::v1::CaseKind kind, const std::string& state);

// Adds the counter changes of a command taking a case from `before` (null
// on creation) to `after` to `sums`.
void AddOpenCaseDeltas(const jianyan::v1::Case* before,
                       const jianyan::v1::Case& after, CounterSums* sums);

struct OpenCaseCount {
  jianyan::v1::CaseKind kind = jianyan::v1::CASE_KIND_UNSPECIFIED;
  std::string state;
  uint64_t count = 0;
};

// Every open-case counter (zeros included), in key order.
absl::StatusOr<std::vector<OpenCaseCount>> ReadOpenCaseCounts(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* counters);

// Counts the open cases of `cases` into the counters (and sets the meta
// key) unless the meta key says that was done. One synced batch.
absl::Status BackfillOpenCaseCounters(rocksdb::DB* db,
                                      rocksdb::ColumnFamilyHandle* cases,
                                      rocksdb::ColumnFamilyHandle* counters,
                                      rocksdb::ColumnFamilyHandle* meta);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_OPEN_CASES_H_
