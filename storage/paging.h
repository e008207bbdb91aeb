// ReadPage: one page of a paged scan, the same for every paged read of the
// store: decode the page token (scoped to `prefix`), position the iterator,
// hand up to the page size of entries to `take`, and return the token of the
// next page ("" after the last one).
//
// Thread-safety: pure functions over the caller's iterator.
#ifndef JIANYAN_STORAGE_PAGING_H_
#define JIANYAN_STORAGE_PAGING_H_

#include <algorithm>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/bounded_iterator.h"
#include "storage/case_store.h"
#include "storage/page_token.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// page_size <= 0: the default; capped at the maximum.
inline int PageSize(const PageRequest& page) {
  if (page.page_size <= 0) return kDefaultPageSize;
  return std::min(page.page_size, kMaxPageSize);
}

// `take(const rocksdb::Iterator&)` returns absl::Status; its first error
// ends the read. `start` is the first key of the scan, `prefix` the range
// page tokens must stay in; `what` names the read in errors.
template <typename Take>
absl::StatusOr<std::string> ReadPage(BoundedIterator& it,
                                     const std::string& prefix,
                                     const std::string& start,
                                     const PageRequest& page,
                                     absl::string_view what, Take take) {
  JY_ASSIGN_OR_RETURN(std::string last,
                      DecodePageToken(page.page_token, prefix));
  it.SeekPage(start, last);
  const int size = PageSize(page);
  for (int n = 0; it->Valid(); it->Next(), ++n) {
    if (n == size) return EncodePageToken(last);
    JY_RETURN_IF_ERROR(take(*it.operator->()));
    last = it->key().ToString();
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), what));
  return std::string();
}

}  // namespace jianyan::storage

#endif  // JIANYAN_STORAGE_PAGING_H_
