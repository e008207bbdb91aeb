// The derived entries of a case: every index and timer entry, and every
// counter bucket of a counter increment, computed from stored data only.
// Apply writes exactly these (diffing old against new) and Verify re-derives
// them, so the two can never disagree about what should be there.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_STORAGE_INDEX_ENTRIES_H_
#define JIANYAN_STORAGE_INDEX_ENTRIES_H_

#include <string>
#include <tuple>
#include <vector>

#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/records.pb.h"
#include "storage/column_families.h"
#include "storage/counter_key.h"
#include "storage/index_keys.h"

namespace jianyan::storage {

struct IndexEntry {
  Cf cf;
  std::string key;
  std::string value;

  bool operator<(const IndexEntry& o) const {
    return std::tie(cf, key, value) < std::tie(o.cf, o.key, o.value);
  }
  bool operator==(const IndexEntry& o) const {
    return cf == o.cf && key == o.key && value == o.value;
  }
};

// Sorted. One due timer per deadline with due_time set and not paused, one
// warning timer (at its warn_time) per such deadline whose warn_time is
// before its due_time and that is not yet `warned`, the idx_list entries of
// ListEntries, and the idx_matter entries of MatterEntries (`matter_salt`:
// the store's salt). Nothing for the families schema 6 retired.
std::vector<IndexEntry> DeriveIndexEntries(const jianyan::v1::Case& c,
                                           absl::string_view matter_salt);

// The idx_matter entries of `c` (index_keys.h), valued with its case
// number: one per distinct non-empty representative identity number when
// `c` is a petition with a category; none otherwise.
std::vector<IndexEntry> MatterEntries(const jianyan::v1::Case& c,
                                      absl::string_view matter_salt);

// The organisations a case is listed under: the handling organisation, each
// co-handler, and the routing organisation while there is no handling
// organisation yet. Sorted, unique, no empty ids.
std::vector<std::string> ListOrganisations(const jianyan::v1::Case& c);
// The idx_list value of `c`.
ListEntry ListEntryOf(const jianyan::v1::Case& c);
// The idx_list entries of `c` (index_keys.h): a, s, o and O per
// organisation, p, c, u when the field is set; d and D per organisation
// while the case is open with a due time.
std::vector<IndexEntry> ListEntries(const jianyan::v1::Case& c);

// The day and month buckets (China time) of one counter increment.
std::vector<CounterId> CounterIdsFor(const jianyan::v1::CounterRecord& r);

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_INDEX_ENTRIES_H_
