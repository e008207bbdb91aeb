#include "services/core/public_feedback.h"

#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "services/core/access_policy.h"
#include "services/core/request_checks.h"
#include "workflow/command.h"
#include "workflow/command_check.h"
#include "workflow/query_code.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Principal;
using jianyan::v1::PublicStatus;

// One answer for an unknown number and a wrong code: nothing tells them
// apart.
absl::Status NotFound() {
  return absl::NotFoundError("case_number: no case with this query_code");
}

std::string DummyHash() {
  absl::BitGen gen;
  // "00000000" is a well-formed code: the comparison runs to the end.
  absl::StatusOr<std::string> hash = HashQueryCode("00000000", gen);
  return hash.ok() ? *hash : std::string();
}

// The rating action's field value for `level`; empty when unspecified.
absl::StatusOr<std::string> RatingValue(jianyan::v1::RatingLevel level) {
  switch (level) {
    case jianyan::v1::RATING_LEVEL_SATISFIED:
      return std::string("satisfied");
    case jianyan::v1::RATING_LEVEL_BASICALLY_SATISFIED:
      return std::string("basically_satisfied");
    case jianyan::v1::RATING_LEVEL_UNSATISFIED:
      return std::string("unsatisfied");
    default:
      return absl::InvalidArgumentError(
          "level: must be RATING_LEVEL_SATISFIED, "
          "RATING_LEVEL_BASICALLY_SATISFIED or RATING_LEVEL_UNSATISFIED");
  }
}

Principal PetitionerOf(const std::string& case_number) {
  Principal p;
  p.set_id(PublicFeedback::PetitionerId(case_number));
  p.set_role(jianyan::v1::ROLE_PETITIONER);
  return p;
}

}  // namespace

PublicFeedback::PublicFeedback(storage::CaseStore& store,
                               const DefinitionRegistry& registry,
                               const OrgDirectory& orgs, CaseCommands& cases,
                               const Clock& clock)
    : store_(store),
      registry_(registry),
      orgs_(orgs),
      cases_(cases),
      clock_(clock),
      dummy_hash_(DummyHash()),
      limiter_(clock) {}

std::string PublicFeedback::PetitionerId(const std::string& case_number) {
  return absl::StrCat("petitioner:", case_number);
}

absl::StatusOr<Case> PublicFeedback::Open(const std::string& number_text,
                                          const std::string& code_text) {
  JY_ASSIGN_OR_RETURN(std::string number, CheckCaseNumber(number_text));
  JY_ASSIGN_OR_RETURN(std::string code, NormalizeQueryCode(code_text));
  JY_RETURN_IF_ERROR(limiter_.Attempt(number));
  // The outline: neither the status nor the rating's command needs the
  // submitter or the content, so they are not even parsed.
  absl::StatusOr<jianyan::v1::StoredCase> stored =
      store_.GetCaseOutline(number);
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  // Unknown numbers compare against the dummy: the same work either way.
  const bool right =
      QueryCodeMatches(code, stored.ok() ? stored->query_code_hash()
                                         : absl::string_view(dummy_hash_)) &&
      stored.ok();
  if (!right) return NotFound();
  limiter_.Succeeded(number);
  return std::move(*stored->mutable_case_());
}

absl::StatusOr<PublicStatus> PublicFeedback::StatusOf(const Case& c) {
  JY_ASSIGN_OR_RETURN(
      DefinitionPtr def,
      registry_.Pinned(c.definition_name(), c.definition_version()));
  PublicStatus out;
  out.set_case_number(c.case_number());
  out.set_kind(c.kind());
  out.set_state(c.state());
  *out.mutable_state_label() = c.state_label();
  out.set_open(c.open());
  *out.mutable_receive_time() = c.create_time();
  *out.mutable_update_time() = c.update_time();
  if (c.has_due_time()) *out.mutable_due_time() = c.due_time();
  if (auto org = orgs_.Get(c.handling_organisation_id()); org.has_value()) {
    *out.mutable_handling_organisation() = org->name();
  }
  if (c.has_rating()) *out.mutable_rating() = c.rating();
  const std::string& adoption = def->proto().rate_rules().adoption_field();
  for (const std::string& field : {std::string("opinion"), adoption}) {
    auto it = c.attributes().find(field);
    if (!field.empty() && it != c.attributes().end()) {
      out.set_response_summary(it->second);
      break;
    }
  }
  const std::string& rate_action = def->proto().rating_policy().rate_action();
  if (!rate_action.empty()) {
    Command probe;
    probe.action = rate_action;
    probe.actor = ActorOf(PetitionerOf(c.case_number()));
    const jianyan::v1::ActionDef* action = nullptr;
    if (IsAvailable(*def, c, probe, clock_.Now(), &action)) {
      out.set_rateable(true);
      for (const auto& d : c.deadlines()) {
        if (d.timer() == action->requires_running_timer() && d.has_due_time()) {
          *out.mutable_rating_due_time() = d.due_time();
        }
      }
    }
  }
  if (c.last_event_seq() == 0) return out;
  // The steps up to the case as read (a command written since is not shown
  // with the older state).
  absl::StatusOr<std::vector<jianyan::v1::Event>> events = store_.GetEventRange(
      c.case_number(), 1, c.last_event_seq(), storage::EventDetail::kStep);
  if (absl::IsNotFound(events.status())) {
    // The case was found: a missing step is the store's fault, not a wrong
    // case number.
    return absl::DataLossError(
        absl::StrCat("event log incomplete: ", events.status().message()));
  }
  if (!events.ok()) return events.status();
  for (jianyan::v1::Event& e : *events) {
    jianyan::v1::PublicStep* step = out.add_steps();
    *step->mutable_label() = std::move(*e.mutable_action_label());
    *step->mutable_time() = e.time();
  }
  return out;
}

absl::StatusOr<PublicStatus> PublicFeedback::GetPublicStatus(
    const jianyan::v1::GetPublicStatusRequest& request) {
  JY_ASSIGN_OR_RETURN(Case c,
                      Open(request.case_number(), request.query_code()));
  return StatusOf(c);
}

void PublicFeedback::SubmitRating(
    const jianyan::v1::SubmitRatingRequest& request,
    Done<jianyan::v1::SubmitRatingResponse> done, absl::Time deadline) {
  auto prepared = [&]() -> absl::StatusOr<jianyan::v1::ActRequest> {
    JY_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
    JY_ASSIGN_OR_RETURN(std::string level, RatingValue(request.level()));
    JY_RETURN_IF_ERROR(CheckText(request.comment(), "comment", 2000));
    JY_ASSIGN_OR_RETURN(Case c,
                        Open(request.case_number(), request.query_code()));
    JY_ASSIGN_OR_RETURN(
        DefinitionPtr def,
        registry_.Pinned(c.definition_name(), c.definition_version()));
    jianyan::v1::ActRequest act;
    act.set_request_id(request.request_id());
    act.set_case_number(c.case_number());
    act.set_action(def->proto().rating_policy().rate_action());
    if (act.action().empty()) {
      return absl::FailedPreconditionError(
          "case_number: cases of this kind are not rated");
    }
    (*act.mutable_fields())["rating"] = level;
    if (!request.comment().empty()) {
      (*act.mutable_fields())["comment"] = request.comment();
    }
    // A retry must repeat the first request exactly, so it names the
    // version the first one saw (each command adds one to the version).
    absl::StatusOr<jianyan::v1::IdempotencyRecord> seen = store_.LookupRequest(
        PetitionerId(c.case_number()), request.request_id());
    if (seen.ok()) {
      act.set_expected_version(seen->version() - 1);
    } else if (absl::IsNotFound(seen.status())) {
      act.set_expected_version(c.version());
    } else {
      return seen.status();
    }
    return act;
  }();
  if (!prepared.ok()) return done(prepared.status());
  cases_.Act(
      PetitionerOf(prepared->case_number()), *prepared,
      [this,
       done = std::move(done)](absl::StatusOr<jianyan::v1::ActResponse> acted) {
        if (!acted.ok()) return done(acted.status());
        absl::StatusOr<PublicStatus> status = StatusOf(acted->case_());
        if (!status.ok()) return done(status.status());
        jianyan::v1::SubmitRatingResponse out;
        *out.mutable_status() = *std::move(status);
        done(std::move(out));
      },
      deadline);
}

}  // namespace jianyan
