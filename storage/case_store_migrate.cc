// CaseStore's schema migrations: rebuilding derived families from the
// cases and their events.
#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "storage/bounded_iterator.h"
#include "storage/case_keys.h"
#include "storage/case_store.h"
#include "storage/index_entries.h"
#include "storage/insert_hint_prefix.h"
#include "storage/key_coding.h"
#include "storage/notice_entries.h"
#include "storage/notice_key.h"
#include "storage/record_keys.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan::storage {
namespace {

// Writes `batch` once it holds 1000 entries (unsynced: the version record,
// written last, is synced).
absl::Status WriteIfFull(rocksdb::DB* db, rocksdb::WriteBatch& batch) {
  if (batch.Count() < 1000) return absl::OkStatus();
  JY_RETURN_IF_ERROR(
      FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "migrate"));
  batch.Clear();
  return absl::OkStatus();
}

// Adds to `batch` the deletion of every entry of family `cf`: every key of
// every family starts with a codec version byte below 0xFF. The begin key
// is outside InsertHintPrefix's domain, so the tombstone leaves no insert
// hint for the puts after it (insert_hint_prefix.h).
absl::Status DeleteFamily(rocksdb::WriteBatch& batch,
                          rocksdb::ColumnFamilyHandle* cf) {
  return FromRocks(
      batch.DeleteRange(cf, kWholeFamilyBegin, std::string(1, '\xFF')),
      "migrate");
}

// Adds the schema version to `batch` and writes it, synced.
absl::Status WriteWithVersion(rocksdb::DB* db,
                              rocksdb::ColumnFamilyHandle* meta,
                              rocksdb::WriteBatch& batch, int version) {
  JY_RETURN_IF_ERROR(FromRocks(
      batch.Put(meta, MetaKey("schema_version"), std::to_string(version)),
      "migrate"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db->Write(wo, &batch), "migrate");
}

// Sorts `notices` by (time, case, seq) and numbers them from 1.
void NumberNotices(std::vector<jianyan::v1::StoredNotice>& notices) {
  auto order = [](const jianyan::v1::StoredNotice& n) {
    return std::make_tuple(FromProto(n.time()), n.case_number(), n.event_seq());
  };
  std::sort(
      notices.begin(), notices.end(),
      [&](const jianyan::v1::StoredNotice& a,
          const jianyan::v1::StoredNotice& b) { return order(a) < order(b); });
  uint64_t cursor = 0;
  for (jianyan::v1::StoredNotice& n : notices) n.set_cursor(++cursor);
}

}  // namespace

// v3 -> v4 rebuilds timers (key version 2, warning entries) and idx_list
// (value version 2) and derives the notice log; v4 -> v5 builds idx_matter
// (CheckSchema has made its salt first); v5 -> v6 empties the retired
// families (ClearRetiredFamilies). Each clears its families, writes their
// entries of every case in one batch per 1000 entries, then the version,
// last: an interrupted migration simply runs again (it clears and rewrites
// the same entries).
absl::Status CaseStore::RebuildDerivedFamilies(const std::vector<Cf>& cfs,
                                               int version) {
  auto wanted = [&](Cf cf) {
    return std::find(cfs.begin(), cfs.end(), cf) != cfs.end();
  };
  rocksdb::WriteBatch batch;
  for (Cf cf : cfs) JY_RETURN_IF_ERROR(DeleteFamily(batch, handle(cf)));
  // The notices of events written before the log existed, derived with the
  // case as it is now (level and organisation are then the current ones).
  // They are held in memory to be numbered in time order: a store migrated
  // from schema 3 has none (supervision_notice came with schema 4).
  std::vector<jianyan::v1::StoredNotice> notices;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), handle(Cf::kCases)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    jianyan::v1::StoredCase stored;
    if (!stored.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError("migrate: unreadable case " +
                                 it->key().ToString(true));
    }
    for (const IndexEntry& e :
         DeriveIndexEntries(stored.case_(), matter_salt_)) {
      if (!wanted(e.cf)) continue;
      JY_RETURN_IF_ERROR(
          FromRocks(batch.Put(handle(e.cf), e.key, e.value), "migrate"));
    }
    JY_RETURN_IF_ERROR(WriteIfFull(db_.get(), batch));
    if (wanted(Cf::kNotices)) {
      JY_RETURN_IF_ERROR(EventNotices(stored.case_(), &notices));
    }
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "migrate"));
  NumberNotices(notices);
  for (const jianyan::v1::StoredNotice& n : notices) {
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Put(handle(Cf::kNotices), NoticeKey(n.cursor()),
                            n.SerializeAsString()),
                  "migrate"));
    JY_RETURN_IF_ERROR(WriteIfFull(db_.get(), batch));
  }
  JY_RETURN_IF_ERROR(
      WriteWithVersion(db_.get(), handle(Cf::kMeta), batch, version));
  schema_version_ = version;
  return absl::OkStatus();
}

absl::Status CaseStore::ClearRetiredFamilies(int version) {
  rocksdb::WriteBatch batch;
  for (Cf cf : kRetiredCfs) JY_RETURN_IF_ERROR(DeleteFamily(batch, handle(cf)));
  JY_RETURN_IF_ERROR(
      WriteWithVersion(db_.get(), handle(Cf::kMeta), batch, version));
  schema_version_ = version;
  // Nothing writes these families any more, so no flush would ever compact
  // the deleted entries away: do it now.
  for (Cf cf : kRetiredCfs) {
    JY_RETURN_IF_ERROR(
        FromRocks(db_->CompactRange(rocksdb::CompactRangeOptions(), handle(cf),
                                    nullptr, nullptr),
                  "migrate: compact retired family"));
  }
  return absl::OkStatus();
}

absl::Status CaseStore::EventNotices(
    const jianyan::v1::Case& c, std::vector<jianyan::v1::StoredNotice>* out) {
  const std::string& no = c.case_number();
  const std::string prefix = EventPrefix(no);
  BoundedIterator it(db_.get(), handle(Cf::kEvents), PrefixSuccessor(prefix));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    jianyan::v1::StoredEvent se;
    jianyan::v1::Event e;
    if (!se.ParseFromArray(it->value().data(),
                           static_cast<int>(it->value().size())) ||
        !e.ParseFromString(se.event())) {
      return absl::DataLossError(
          absl::StrCat("migrate: unreadable event of case ", no));
    }
    std::optional<jianyan::v1::StoredNotice> n = NoticeOf(c, e);
    if (n.has_value()) out->push_back(*std::move(n));
  }
  return FromRocks(it->status(), "migrate");
}

}  // namespace jianyan::storage
