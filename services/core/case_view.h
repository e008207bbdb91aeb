// What a caller is shown of a case: the full record, or the record with its
// submitter masked, and the list form (CaseSummary, always masked).
//
// Masking keeps the first character of a name ("张*") and the first three
// and last four digits of a phone ("138****1234"); identity numbers and
// addresses are removed. A confidential case shows no submitter at all.
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_CORE_CASE_VIEW_H_
#define JIANYAN_SERVICES_CORE_CASE_VIEW_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/workflow_service.pb.h"

namespace jianyan {

std::string MaskName(absl::string_view name);
std::string MaskPhone(absl::string_view phone);

// `c` unchanged when `full`; otherwise every representative masked, the
// suggester id removed, and for confidential cases no representative at
// all.
jianyan::v1::Case CaseAsSeen(jianyan::v1::Case c, bool full);

// INVALID_ARGUMENT naming `field` when `view` is not a CaseView value.
absl::Status CheckCaseView(int view, absl::string_view field);
// Clears what `view` leaves out of an answer's case: nothing for FULL (and
// UNSPECIFIED), the intake part (submitter, content, attachments) for BASIC.
void TrimToView(jianyan::v1::CaseView view, jianyan::v1::Case* c);

jianyan::v1::CaseSummary Summarize(const jianyan::v1::Case& c);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_CASE_VIEW_H_
