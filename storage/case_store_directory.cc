// CaseStore: directory records, workflow definitions and calendars. Each put
// is one synced write (these change rarely and must not be lost), refused
// with UNAVAILABLE while the store is not writable. Directory records read
// are kept in memory (directory_cache.h); each put invalidates its own.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/bounded_iterator.h"
#include "storage/case_store.h"
#include "storage/key_coding.h"
#include "storage/page_token.h"
#include "storage/paging.h"
#include "workflow/status_macros.h"

namespace jianyan::storage {
namespace {

std::string CalendarId(absl::string_view calendar, int year) {
  return absl::StrFormat("%s/%04d", calendar, year);
}

}  // namespace

absl::Status CaseStore::PutRecord(DirectoryKind kind, absl::string_view id,
                                  const google::protobuf::Message& record) {
  if (id.empty()) return absl::InvalidArgumentError("id: empty");
  rocksdb::WriteBatch batch;
  const std::string key = DirectoryKey(kind, id);
  JY_RETURN_IF_ERROR(FromRocks(
      batch.Put(handle(Cf::kDirectory), key, record.SerializeAsString()),
      "directory put"));
  absl::Status written = WriteSynced(&batch, "directory put");
  directory_cache_.Invalidate(key);  // failed or not: read it afresh
  return written;
}

absl::Status CaseStore::GetRecord(DirectoryKind kind, absl::string_view id,
                                  google::protobuf::Message* record) {
  const std::string key = DirectoryKey(kind, id);
  bool parsed = false;
  if (std::optional<std::string> cached = directory_cache_.Find(key)) {
    parsed = record->ParseFromString(*cached);
  } else {
    const uint64_t generation = directory_cache_.Generation();
    std::string value;
    absl::Status s = GetValue(Cf::kDirectory, key, &value);
    if (absl::IsNotFound(s)) {
      return absl::NotFoundError(absl::StrCat("directory: ", id));
    }
    JY_RETURN_IF_ERROR(s);
    parsed = record->ParseFromString(value);
    if (parsed) directory_cache_.Fill(key, std::move(value), generation);
  }
  if (!parsed) {
    return absl::DataLossError(
        absl::StrCat("directory: ", id, ": unreadable record"));
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<T> CaseStore::GetAs(DirectoryKind kind, absl::string_view id) {
  T out;
  JY_RETURN_IF_ERROR(GetRecord(kind, id, &out));
  return out;
}

absl::Status CaseStore::PutOrganisation(const jianyan::v1::Organisation& o) {
  return PutRecord(DirectoryKind::kOrganisation, o.id(), o);
}
absl::Status CaseStore::PutReportingPoint(
    const jianyan::v1::ReportingPoint& p) {
  return PutRecord(DirectoryKind::kReportingPoint, p.id(), p);
}
absl::Status CaseStore::PutSuggester(const jianyan::v1::Suggester& s) {
  return PutRecord(DirectoryKind::kSuggester, s.id(), s);
}
absl::Status CaseStore::PutCampaign(const jianyan::v1::Campaign& c) {
  return PutRecord(DirectoryKind::kCampaign, c.id(), c);
}
absl::Status CaseStore::PutCategory(const jianyan::v1::Category& c) {
  return PutRecord(DirectoryKind::kCategory, c.name(), c);
}
absl::Status CaseStore::PutRegion(const jianyan::v1::Region& r) {
  return PutRecord(DirectoryKind::kRegion, r.code(), r);
}
absl::Status CaseStore::PutCalendarYear(const jianyan::v1::CalendarYear& y) {
  return PutRecord(DirectoryKind::kCalendarYear, CalendarId(y.name(), y.year()),
                   y);
}

absl::Status CaseStore::PutPrincipal(const jianyan::v1::Principal& p) {
  if (p.id().empty()) return absl::InvalidArgumentError("id: empty");
  // Serialised with this store's other principal writes, so the token
  // index cannot be left pointing at a replaced hash.
  absl::MutexLock lock(&principal_mu_);
  rocksdb::WriteBatch batch;
  // A token hash identifies one principal: never take over another's.
  if (!p.token_hash().empty()) {
    std::string owner;
    absl::Status s = GetValue(
        Cf::kDirectory,
        DirectoryKey(DirectoryKind::kPrincipalByTokenHash, p.token_hash()),
        &owner);
    if (s.ok() && owner != p.id()) {
      return absl::AlreadyExistsError(
          "token_hash already belongs to another principal");
    }
    if (!s.ok() && !absl::IsNotFound(s)) return s;
  }
  jianyan::v1::Principal old;
  absl::Status s = GetRecord(DirectoryKind::kPrincipal, p.id(), &old);
  if (s.ok() && !old.token_hash().empty() &&
      old.token_hash() != p.token_hash()) {
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Delete(handle(Cf::kDirectory),
                     DirectoryKey(DirectoryKind::kPrincipalByTokenHash,
                                  old.token_hash())),
        "principal"));
  } else if (!s.ok() && !absl::IsNotFound(s)) {
    return s;
  }
  if (!p.token_hash().empty()) {
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Put(
            handle(Cf::kDirectory),
            DirectoryKey(DirectoryKind::kPrincipalByTokenHash, p.token_hash()),
            p.id()),
        "principal"));
  }
  const std::string key = DirectoryKey(DirectoryKind::kPrincipal, p.id());
  JY_RETURN_IF_ERROR(
      FromRocks(batch.Put(handle(Cf::kDirectory), key, p.SerializeAsString()),
                "principal"));
  absl::Status written = WriteSynced(&batch, "principal put");
  directory_cache_.Invalidate(key);  // failed or not: read it afresh
  return written;
}

absl::StatusOr<jianyan::v1::Organisation> CaseStore::GetOrganisation(
    absl::string_view id) {
  return GetAs<jianyan::v1::Organisation>(DirectoryKind::kOrganisation, id);
}
absl::StatusOr<jianyan::v1::ReportingPoint> CaseStore::GetReportingPoint(
    absl::string_view id) {
  return GetAs<jianyan::v1::ReportingPoint>(DirectoryKind::kReportingPoint, id);
}
absl::StatusOr<jianyan::v1::Suggester> CaseStore::GetSuggester(
    absl::string_view id) {
  return GetAs<jianyan::v1::Suggester>(DirectoryKind::kSuggester, id);
}
absl::StatusOr<jianyan::v1::Campaign> CaseStore::GetCampaign(
    absl::string_view id) {
  return GetAs<jianyan::v1::Campaign>(DirectoryKind::kCampaign, id);
}
absl::StatusOr<jianyan::v1::Category> CaseStore::GetCategory(
    absl::string_view name) {
  return GetAs<jianyan::v1::Category>(DirectoryKind::kCategory, name);
}
absl::StatusOr<jianyan::v1::Region> CaseStore::GetRegion(
    absl::string_view code) {
  return GetAs<jianyan::v1::Region>(DirectoryKind::kRegion, code);
}
absl::StatusOr<jianyan::v1::Principal> CaseStore::GetPrincipal(
    absl::string_view id) {
  return GetAs<jianyan::v1::Principal>(DirectoryKind::kPrincipal, id);
}
absl::StatusOr<jianyan::v1::CalendarYear> CaseStore::GetCalendarYear(
    absl::string_view calendar, int year) {
  return GetAs<jianyan::v1::CalendarYear>(DirectoryKind::kCalendarYear,
                                          CalendarId(calendar, year));
}

absl::StatusOr<jianyan::v1::Principal> CaseStore::FindPrincipalByTokenHash(
    absl::string_view token_hash) {
  std::string id;
  absl::Status s = GetValue(
      Cf::kDirectory,
      DirectoryKey(DirectoryKind::kPrincipalByTokenHash, token_hash), &id);
  if (absl::IsNotFound(s)) return absl::NotFoundError("no such token");
  JY_RETURN_IF_ERROR(s);
  return GetPrincipal(id);
}

absl::StatusOr<std::vector<std::string>> CaseStore::ListDirectory(
    DirectoryKind kind, const PageRequest& page, std::string* next_page_token) {
  std::string prefix = DirectoryPrefix(kind);
  BoundedIterator it(db_.get(), handle(Cf::kDirectory),
                     PrefixSuccessor(prefix));
  std::vector<std::string> out;
  JY_ASSIGN_OR_RETURN(*next_page_token,
                      ReadPage(it, prefix, prefix, page, "directory",
                               [&](const rocksdb::Iterator& e) {
                                 out.push_back(e.value().ToString());
                                 return absl::OkStatus();
                               }));
  return out;
}

absl::Status CaseStore::PutDefinition(
    const jianyan::v1::WorkflowDefinition& def, bool make_current) {
  if (def.name().empty() || def.version().empty()) {
    return absl::InvalidArgumentError("definition: name and version needed");
  }
  rocksdb::WriteBatch batch;
  JY_RETURN_IF_ERROR(
      FromRocks(batch.Put(handle(Cf::kDefinitions),
                          DefinitionKey(def.name(), def.version()),
                          def.SerializeAsString()),
                "definition put"));
  if (make_current) {
    JY_RETURN_IF_ERROR(FromRocks(
        batch.Put(handle(Cf::kMeta),
                  MetaKey(absl::StrCat("definition_current/", def.name())),
                  def.version()),
        "definition put"));
  }
  return WriteSynced(&batch, "definition put");
}

absl::StatusOr<jianyan::v1::WorkflowDefinition> CaseStore::GetDefinition(
    absl::string_view name, absl::string_view version) {
  jianyan::v1::WorkflowDefinition def;
  JY_RETURN_IF_ERROR(GetProto(Cf::kDefinitions, DefinitionKey(name, version),
                              absl::StrCat("definition ", name, "@", version),
                              &def));
  return def;
}

absl::StatusOr<std::vector<jianyan::v1::WorkflowDefinition>>
CaseStore::ListDefinitions(absl::string_view name) {
  std::string prefix = DefinitionPrefix(name);
  BoundedIterator it(db_.get(), handle(Cf::kDefinitions),
                     PrefixSuccessor(prefix));
  std::vector<jianyan::v1::WorkflowDefinition> out;
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    jianyan::v1::WorkflowDefinition def;
    if (!def.ParseFromArray(it->value().data(),
                            static_cast<int>(it->value().size()))) {
      return absl::DataLossError("definitions: unreadable record " +
                                 it->key().ToString(true));
    }
    out.push_back(std::move(def));
  }
  JY_RETURN_IF_ERROR(FromRocks(it->status(), "definitions"));
  return out;
}

absl::Status CaseStore::SetCurrentDefinition(absl::string_view name,
                                             absl::string_view version) {
  if (name.empty() || version.empty()) {
    return absl::InvalidArgumentError("definition: name and version needed");
  }
  rocksdb::WriteBatch batch;
  JY_RETURN_IF_ERROR(
      FromRocks(batch.Put(handle(Cf::kMeta),
                          MetaKey(absl::StrCat("definition_current/", name)),
                          rocksdb::Slice(version.data(), version.size())),
                "definition current"));
  return WriteSynced(&batch, "definition current");
}

absl::StatusOr<std::string> CaseStore::GetCurrentDefinition(
    absl::string_view name) {
  std::string version;
  JY_RETURN_IF_ERROR(GetValue(
      Cf::kMeta, MetaKey(absl::StrCat("definition_current/", name)), &version));
  return version;
}

}  // namespace jianyan::storage
