// PublicFeedback: the core side of FeedbackService (CoreInternal.
// GetPublicStatus and SubmitPublicRating): the case number with its query
// code is the credential, checked here against the stored salted hash.
//
//   - A malformed case number or query code: INVALID_ARGUMENT naming
//     `case_number` or `query_code`.
//   - An unknown number and a wrong code get the same NOT_FOUND, message
//     included, after the same work: the code is compared in constant time
//     with the stored hash, or with a dummy hash for unknown numbers.
//   - Wrong codes are counted per number (AttemptLimiter): after 5, every
//     attempt gets RESOURCE_EXHAUSTED for 15 minutes.
//   - The public status carries labels and times only: the state, the
//     handling organisation's name, each event's action label and time, the
//     rating, the handling opinion or adoption outcome. Never notes, staff,
//     reasons or personal data.
//   - A rating is the definition's rating action (RatingPolicy.rate_action)
//     applied as a petitioner actor ("petitioner:<case number>") through
//     CaseCommands, so the definition's branches route an unsatisfied
//     rating; idempotent on (case, request_id).
//
// Thread-safety: safe for concurrent use.
#ifndef JIANYAN_SERVICES_CORE_PUBLIC_FEEDBACK_H_
#define JIANYAN_SERVICES_CORE_PUBLIC_FEEDBACK_H_

#include <string>

#include "absl/status/statusor.h"
#include "jianyan/v1/feedback.pb.h"
#include "services/core/attempt_limiter.h"
#include "services/core/case_commands.h"
#include "services/core/definition_registry.h"
#include "services/core/org_directory.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

class PublicFeedback {
 public:
  PublicFeedback(storage::CaseStore& store, const DefinitionRegistry& registry,
                 const OrgDirectory& orgs, CaseCommands& cases,
                 const Clock& clock);

  absl::StatusOr<jianyan::v1::PublicStatus> GetPublicStatus(
      const jianyan::v1::GetPublicStatusRequest& request);

  // `done` runs once the rating is durable (on a store thread), or at once
  // with the error: INVALID_ARGUMENT naming the field, NOT_FOUND,
  // RESOURCE_EXHAUSTED as above, FAILED_PRECONDITION when the case is not
  // rateable now (already rated this round, window over, closed),
  // ALREADY_EXISTS when the request_id was used for another rating.
  // `deadline`: the caller's, as for CaseCommands::Act.
  void SubmitRating(const jianyan::v1::SubmitRatingRequest& request,
                    Done<jianyan::v1::SubmitRatingResponse> done,
                    absl::Time deadline = absl::InfiniteFuture());

  // The principal id a case's petitioner acts under.
  static std::string PetitionerId(const std::string& case_number);

 private:
  // The outline of case `number` (CaseStore::GetCaseOutline) opened by
  // `code`, or the errors above.
  absl::StatusOr<jianyan::v1::Case> Open(const std::string& number,
                                         const std::string& code);
  absl::StatusOr<jianyan::v1::PublicStatus> StatusOf(
      const jianyan::v1::Case& c);

  storage::CaseStore& store_;
  const DefinitionRegistry& registry_;
  const OrgDirectory& orgs_;
  CaseCommands& cases_;
  const Clock& clock_;
  const std::string dummy_hash_;  // compared against for unknown numbers
  AttemptLimiter limiter_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_CORE_PUBLIC_FEEDBACK_H_
