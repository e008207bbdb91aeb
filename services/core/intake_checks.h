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

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_INTAKE_CHECKS_H_
