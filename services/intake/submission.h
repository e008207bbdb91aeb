// The intake edge's own checks on a SubmitCaseRequest, made before the core
// is called: every field validated and normalised (services/intake/
// text_normalise.h) into the Case the core is asked to create. Checks that
// need the directory (region, category list, campaign dates and themes,
// reporting point) are made by the core, which holds it
// (services/core/intake_checks.h); this library makes no call.
//
// Every failure is INVALID_ARGUMENT with a message that starts with the
// field's proto path, e.g. "submitter.representatives[0].id_number: ...".
//
// Thread-safety: pure functions.
#ifndef JIANYAN_SERVICES_INTAKE_SUBMISSION_H_
#define JIANYAN_SERVICES_INTAKE_SUBMISSION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/intake.pb.h"

namespace jianyan {

inline constexpr size_t kMaxPersonName = 100;  // code points
inline constexpr size_t kMaxAddress = 500;     // code points
inline constexpr size_t kMaxCategory = 100;    // code points
inline constexpr size_t kMaxAttachmentName = 255;
inline constexpr uint64_t kMaxAttachmentBytes = 200ull << 20;  // 200 MiB
inline constexpr uint32_t kMaxGroupSize = 100000;

// Media types an attachment may have.
bool AllowedMediaType(absl::string_view media_type);

// The case to create from `request`, normalised: text trimmed, NFC, without
// control characters other than newline and tab; phone and identity numbers
// with full-width digits folded; channel CHANNEL_TERMINAL when unspecified;
// sha256 lower-cased; accusations confidential. Attribution (reporting
// point, routing organisation, suggester) is left to the caller: a
// non-empty submitter.suggester_id in the request is refused.
absl::StatusOr<jianyan::v1::Case> NormaliseSubmission(
    const jianyan::v1::SubmitCaseRequest& request);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_INTAKE_SUBMISSION_H_
