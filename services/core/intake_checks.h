// The checks the core makes on a case an edge submits (CreateCase), before
// anything is written. The edges validate and normalise more (Unicode NFC,
// identity-number check characters); the core re-checks what it relies on:
// enums, sizes, identifiers, and that referenced directory records exist.
//
// Thread-safety: reads the store; safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_INTAKE_CHECKS_H_
#define JIANYAN_SERVICES_CORE_INTAKE_CHECKS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "services/core/definition_registry.h"
#include "storage/case_store.h"

namespace jianyan {

inline constexpr size_t kMaxTitle = 200;      // code points
inline constexpr size_t kMaxContent = 20000;  // code points
inline constexpr int kMaxAttachments = 20;
inline constexpr int kMaxRepresentatives = 5;  // 信访工作条例 Art 20(3)

// INVALID_ARGUMENT "case.<field>: ..." for the first problem; fills in
// routing_organisation_id when it is empty from the reporting point, else
// from the campaign's sponsoring organisation. Once
// the directory holds regions (categories), region_code (a non-empty
// category) must name an active one. FAILED_PRECONDITION "case.campaign_id:
// ..." when `now` is outside the campaign's [open_time, close_time).
absl::Status CheckCaseIntake(storage::CaseStore& store, absl::Time now,
                             jianyan::v1::Case& c);

// The repeat checks of a new case (after CheckCaseIntake; reads the earlier
// cases of each representative through CaseStore::MatterCases). Replaces
// c.possible_repeat_of whatever the request said: for a petition with a
// category, the open petitions of that category naming one of its
// representatives' identity numbers (compared upper-cased), sorted; empty
// otherwise. FAILED_PRECONDITION "case.submitter.representatives[<i>].
// id_number: the same matter was concluded in case <number> ..." when such
// an earlier case sits in a state that bars resubmission under its pinned
// definition (终结, 信访工作条例 Art 36); INTERNAL when that definition is
// not loaded; the read error otherwise.
absl::Status CheckRepeatedMatter(storage::CaseStore& store,
                                 const DefinitionRegistry& registry,
                                 jianyan::v1::Case& c);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_INTAKE_CHECKS_H_
