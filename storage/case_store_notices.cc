// CaseStore: the supervision notice log (reads, the listener, the cursor at
// open). Notices are written by Apply (case_store_apply.cc) under cursors
// the group committer assigns (group_commit.h).
#include "absl/strings/str_cat.h"
#include "storage/bounded_iterator.h"
#include "storage/case_store.h"
#include "storage/key_coding.h"
#include "storage/notice_key.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {

absl::StatusOr<uint64_t> CaseStore::NextNoticeCursor() {
  BoundedIterator it(db_.get(), handle(Cf::kNotices),
                     PrefixSuccessor(NoticePrefix()));
  it->SeekToLast();
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "notices"));
  if (!it->Valid()) return 1;
  uint64_t cursor = 0;
  if (!DecodeNoticeKey(absl::string_view(it->key().data(), it->key().size()),
                       &cursor)) {
    return absl::DataLossError("notices: malformed key " +
                               it->key().ToString(true));
  }
  return cursor + 1;
}

uint64_t CaseStore::LastNoticeCursor() {
  return committer_->LastNoticeCursor();
}

void CaseStore::SetNoticeListener(
    std::function<void(const std::vector<jianyan::v1::StoredNotice>&)>
        listener) {
  committer_->SetNoticeListener(std::move(listener));
}

absl::StatusOr<std::vector<jianyan::v1::StoredNotice>> CaseStore::ReadNotices(
    uint64_t after_cursor, size_t limit) {
  std::vector<jianyan::v1::StoredNotice> out;
  const uint64_t last = LastNoticeCursor();
  if (limit == 0 || after_cursor >= last) return out;
  BoundedIterator it(db_.get(), handle(Cf::kNotices), NoticeKey(last + 1));
  for (it->Seek(NoticeKey(after_cursor + 1)); it->Valid() && out.size() < limit;
       it->Next()) {
    uint64_t cursor = 0;
    jianyan::v1::StoredNotice& n = out.emplace_back();
    if (!DecodeNoticeKey(absl::string_view(it->key().data(), it->key().size()),
                         &cursor) ||
        !n.ParseFromArray(it->value().data(),
                          static_cast<int>(it->value().size())) ||
        n.cursor() != cursor) {
      return absl::DataLossError(absl::StrCat("notices: unreadable notice at ",
                                              it->key().ToString(true)));
    }
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "notices"));
  return out;
}

}  // namespace jianyan::storage
