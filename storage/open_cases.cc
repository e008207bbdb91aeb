#include "storage/open_cases.h"

#include <map>
#include <memory>

#include "storage/case_store.h"
#include "storage/key_coding.h"
#include "storage/record_keys.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {

constexpr char kOpenTag = 'O';
constexpr char kBackfilled[] = "open_case_counters";

std::string OpenCasePrefix() {
  std::string k(1, kKeyCodecV1);
  k.push_back(kOpenTag);
  return k;
}

bool DecodeOpenCaseKey(absl::string_view key, OpenCaseCount* out) {
  if (!ConsumeVersion(&key) || key.size() < 2 || key[0] != kOpenTag) {
    return false;
  }
  const int kind = static_cast<unsigned char>(key[1]);
  if (!jianyan::v1::CaseKind_IsValid(kind)) return false;
  out->kind = static_cast<jianyan::v1::CaseKind>(kind);
  key.remove_prefix(2);
  return GetOrderedString(&key, &out->state) && key.empty();
}

}  // namespace

std::string OpenCaseKey(jianyan::v1::CaseKind kind, const std::string& state) {
  std::string k = OpenCasePrefix();
  k.push_back(static_cast<char>(kind));
  PutOrderedString(&k, state);
  return k;
}

void AddOpenCaseDeltas(const jianyan::v1::Case* before,
                       const jianyan::v1::Case& after, CounterSums* sums) {
  const bool was = before != nullptr && before->open();
  if (was && after.open() && before->kind() == after.kind() &&
      before->state() == after.state()) {
    return;
  }
  if (was) {
    (*sums)[OpenCaseKey(before->kind(), before->state())] +=
        ~uint64_t{0};  // -1 modulo 2^64
  }
  if (after.open()) (*sums)[OpenCaseKey(after.kind(), after.state())] += 1;
}

absl::StatusOr<std::vector<OpenCaseCount>> ReadOpenCaseCounts(
    rocksdb::DB* db, rocksdb::ColumnFamilyHandle* counters) {
  const std::string prefix = OpenCasePrefix();
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), counters));
  std::vector<OpenCaseCount> out;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    OpenCaseCount c;
    if (!DecodeOpenCaseKey(
            absl::string_view(it->key().data(), it->key().size()), &c) ||
        !DecodeFixed64LE(
            absl::string_view(it->value().data(), it->value().size()),
            &c.count)) {
      return absl::DataLossError("counters: malformed open-case entry " +
                                 it->key().ToString(true));
    }
    out.push_back(std::move(c));
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "open-case counters"));
  return out;
}

absl::Status BackfillOpenCaseCounters(rocksdb::DB* db,
                                      rocksdb::ColumnFamilyHandle* cases,
                                      rocksdb::ColumnFamilyHandle* counters,
                                      rocksdb::ColumnFamilyHandle* meta) {
  std::string done;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), meta, MetaKey(kBackfilled), &done);
  if (s.ok()) return absl::OkStatus();
  if (!s.IsNotFound()) return FromRocks(s, "open-case counters");
  std::map<std::string, uint64_t> counts;
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), cases));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    jianyan::v1::StoredCase stored;
    if (!stored.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError("cases: unreadable case " +
                                 it->key().ToString(true));
    }
    const jianyan::v1::Case& c = stored.case_();
    if (c.open()) ++counts[OpenCaseKey(c.kind(), c.state())];
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "open-case counters"));
  rocksdb::WriteBatch batch;
  for (const auto& [key, n] : counts) {
    JY_RETURN_IF_ERROR(
        FromRocks(batch.Put(counters, key, EncodeFixed64LE(n)), "backfill"));
  }
  JY_RETURN_IF_ERROR(
      FromRocks(batch.Put(meta, MetaKey(kBackfilled), "1"), "backfill"));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db->Write(wo, &batch), "open-case counters");
}

}  // namespace jianyan::storage
