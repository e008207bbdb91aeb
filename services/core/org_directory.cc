#include "services/core/org_directory.h"

#include "absl/strings/str_cat.h"
#include "services/core/request_checks.h"
#include "workflow/status_macros.h"

namespace jianyan {
namespace {

// Deeper than any real administrative tree (province → township is 4).
constexpr int kMaxDepth = 32;

}  // namespace

absl::StatusOr<std::unique_ptr<OrgDirectory>> OrgDirectory::Load(
    storage::CaseStore& store) {
  std::unique_ptr<OrgDirectory> dir(new OrgDirectory(store));
  storage::PageRequest page;
  page.page_size = 1000;
  absl::MutexLock lock(&dir->mu_);
  do {
    std::string next;
    JY_ASSIGN_OR_RETURN(
        std::vector<std::string> records,
        store.ListDirectory(storage::DirectoryKind::kOrganisation, page,
                            &next));
    for (const std::string& bytes : records) {
      jianyan::v1::Organisation org;
      if (!org.ParseFromString(bytes)) {
        return absl::DataLossError("directory: unreadable organisation");
      }
      dir->orgs_[org.id()] = std::move(org);
    }
    page.page_token = next;
  } while (!page.page_token.empty());
  return dir;
}

absl::Status OrgDirectory::Put(const jianyan::v1::Organisation& org) {
  JY_RETURN_IF_ERROR(CheckIdentifier(org.id(), "organisation.id"));
  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(org.parent_id(), "organisation.parent_id"));
  if (org.name().zh().empty()) {
    return absl::InvalidArgumentError("organisation.name.zh: required");
  }
  JY_RETURN_IF_ERROR(CheckText(org.name().zh(), "organisation.name.zh", 200));
  JY_RETURN_IF_ERROR(CheckText(org.name().en(), "organisation.name.en", 200));
  JY_RETURN_IF_ERROR(
      CheckText(org.region_code(), "organisation.region_code", 12));
  if (!jianyan::v1::OrganisationLevel_IsValid(org.level())) {
    return absl::InvalidArgumentError("organisation.level: unknown value");
  }
  absl::MutexLock write(&write_mu_);
  {
    absl::ReaderMutexLock lock(&mu_);
    if (!org.parent_id().empty()) {
      if (!orgs_.contains(org.parent_id())) {
        return absl::InvalidArgumentError(
            absl::StrCat("organisation.parent_id: unknown organisation '",
                         org.parent_id(), "'"));
      }
      int depth = 1;
      for (auto it = orgs_.find(org.parent_id());
           it != orgs_.end() && !it->second.parent_id().empty() &&
           depth < kMaxDepth;
           it = orgs_.find(it->second.parent_id())) {
        ++depth;
      }
      if (depth >= kMaxDepth - 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("organisation.parent_id: the tree may be at most ",
                         kMaxDepth - 1, " levels deep"));
      }
      if (IsWithinLocked(org.parent_id(), org.id())) {
        return absl::InvalidArgumentError(
            "organisation.parent_id: would make the organisation its own "
            "ancestor");
      }
    }
  }
  JY_RETURN_IF_ERROR(store_.PutOrganisation(org));
  absl::MutexLock lock(&mu_);
  orgs_[org.id()] = org;
  return absl::OkStatus();
}

std::optional<jianyan::v1::Organisation> OrgDirectory::Get(
    const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = orgs_.find(id);
  if (it == orgs_.end()) return std::nullopt;
  return it->second;
}

std::string OrgDirectory::Parent(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = orgs_.find(id);
  return it == orgs_.end() ? std::string() : it->second.parent_id();
}

std::vector<std::string> OrgDirectory::Ancestors(const std::string& id) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::string> out;
  auto it = orgs_.find(id);
  for (int depth = 0; depth < kMaxDepth && it != orgs_.end() &&
                      !it->second.parent_id().empty();
       ++depth) {
    out.push_back(it->second.parent_id());
    it = orgs_.find(it->second.parent_id());
  }
  return out;
}

bool OrgDirectory::IsWithinLocked(const std::string& org,
                                  const std::string& ancestor) const {
  std::string at = org;
  for (int depth = 0; depth < kMaxDepth && !at.empty(); ++depth) {
    if (at == ancestor) return true;
    auto it = orgs_.find(at);
    if (it == orgs_.end()) return false;
    at = it->second.parent_id();
  }
  return false;
}

bool OrgDirectory::IsWithin(const std::string& org,
                            const std::string& ancestor) const {
  if (org.empty() || ancestor.empty()) return false;
  absl::ReaderMutexLock lock(&mu_);
  return IsWithinLocked(org, ancestor);
}

std::vector<std::string> OrgDirectory::Subtree(const std::string& root) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::string> out;
  for (const auto& [id, org] : orgs_) {
    if (id != root && IsWithinLocked(id, root)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  out.insert(out.begin(), root);
  return out;
}

std::vector<std::string> OrgDirectory::ListScope(
    const std::string& root) const {
  std::vector<std::string> subtree = Subtree(root);
  absl::ReaderMutexLock lock(&mu_);
  if (!root.empty() && orgs_.contains(root) && subtree.size() == orgs_.size()) {
    return {};
  }
  return subtree;
}

}  // namespace jianyan
