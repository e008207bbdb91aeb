// DefinitionRegistry: every workflow definition version a case may be pinned
// to, keyed by (name, version), and the version of each name that new cases
// pin ("current"). Versions are content digests, so a definition is never
// changed in place: an edit is a new version, and running cases keep theirs.
//
// Open() stores the definitions read from files that the store does not
// have yet and makes each such new version current (an edited file is a new
// version); it then loads every stored version, so cases pinned to an older
// version keep moving after the file changed. Put() (AdminService) validates
// a definition, stores it and makes it current.
//
// Calendars: the shipped/configured calendar files plus the years stored by
// PutCalendarYear. Adding a year rebuilds the definitions that use the
// calendar, so deadlines in that year stop being provisional.
//
// Thread-safety: all methods are safe for concurrent use; returned
// definitions are immutable and outlive later changes.
#ifndef JIANYAN_SERVICES_CORE_DEFINITION_REGISTRY_H_
#define JIANYAN_SERVICES_CORE_DEFINITION_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/case_store.h"
#include "workflow/definition.h"
#include "workflow/definition_loader.h"

namespace jianyan {

using DefinitionPtr = std::shared_ptr<const Definition>;

class DefinitionRegistry {
 public:
  static absl::StatusOr<std::unique_ptr<DefinitionRegistry>> Open(
      storage::CaseStore& store, CalendarMap calendars,
      const std::map<std::string, DefinitionPtr>& from_files);

  // The version a case is pinned to. FAILED_PRECONDITION when the store
  // does not hold it (the case cannot move until it is restored).
  absl::StatusOr<DefinitionPtr> Pinned(const std::string& name,
                                       const std::string& version) const;
  // The version new cases of `name` pin. NOT_FOUND for an unknown name.
  absl::StatusOr<DefinitionPtr> Current(const std::string& name) const;
  // The current default definition for a case kind ("petition",
  // "suggestion"). FAILED_PRECONDITION when none is loaded.
  absl::StatusOr<DefinitionPtr> DefaultFor(jianyan::v1::CaseKind kind) const;

  // Validates (INVALID_ARGUMENT with the loader's line-numbered message for
  // a textproto source), stores and makes current.
  absl::StatusOr<DefinitionPtr> PutText(const std::string& textproto);
  absl::StatusOr<DefinitionPtr> Put(jianyan::v1::WorkflowDefinition def);

  // Every version of `name` (every definition when empty), sorted by name
  // then version.
  std::vector<DefinitionPtr> List(const std::string& name) const;

  // Validates and stores one calendar year, rebuilding the definitions that
  // use its calendar. FAILED_PRECONDITION when that year is already loaded.
  absl::Status PutCalendarYear(const jianyan::v1::CalendarYear& year);

 private:
  explicit DefinitionRegistry(storage::CaseStore& store) : store_(store) {}
  absl::StatusOr<DefinitionPtr> StoreAsCurrent(DefinitionPtr def);

  storage::CaseStore& store_;
  absl::Mutex write_mu_;  // serialises Put* with their store writes
  mutable absl::Mutex mu_;
  CalendarMap calendars_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, DefinitionPtr> versions_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, DefinitionPtr> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_DEFINITION_REGISTRY_H_
