// OrgDirectory: the organisation tree (who is above whom), cached in memory
// and written through to the store. Supervisors' scopes (their organisation
// and every one below it) and the default reviewing body (the parent of the
// handling organisation) are answered from here without a store read.
//
// Thread-safety: all methods are safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_ORG_DIRECTORY_H_
#define JIANYAN_SERVICES_CORE_ORG_DIRECTORY_H_

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jianyan/v1/directory.pb.h"
#include "storage/case_store.h"

namespace jianyan {

class OrgDirectory {
 public:
  // Reads every organisation of the store.
  static absl::StatusOr<std::unique_ptr<OrgDirectory>> Load(
      storage::CaseStore& store);

  // Validates and stores `org` (INVALID_ARGUMENT naming the field: id,
  // name, unknown parent, a parent chain that would loop) and updates the
  // cache.
  absl::Status Put(const jianyan::v1::Organisation& org);

  std::optional<jianyan::v1::Organisation> Get(const std::string& id) const;
  // The parent's id; empty for a root or an unknown organisation.
  std::string Parent(const std::string& id) const;
  // The organisations above `id`, nearest first.
  std::vector<std::string> Ancestors(const std::string& id) const;
  // True when `org` is `ancestor` or lies below it.
  bool IsWithin(const std::string& org, const std::string& ancestor) const;
  // `root` and every organisation below it (root first).
  std::vector<std::string> Subtree(const std::string& root) const;
  // The organisation filter of a case list over `root`'s subtree (the
  // organisation_ids of storage::CaseQuery): Subtree(root), or empty (no
  // filter) when that subtree is the whole directory, so that the list
  // reads one index range instead of one per organisation.
  std::vector<std::string> ListScope(const std::string& root) const;

 private:
  explicit OrgDirectory(storage::CaseStore& store) : store_(store) {}
  bool IsWithinLocked(const std::string& org, const std::string& ancestor) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  storage::CaseStore& store_;
  absl::Mutex write_mu_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, jianyan::v1::Organisation> orgs_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_ORG_DIRECTORY_H_
