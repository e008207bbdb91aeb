#include "services/core/supervision_ops.h"

#include <cstring>
#include <initializer_list>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/core/case_view.h"
#include "services/core/request_checks.h"
#include "workflow/status_macros.h"
#include "workflow/time_util.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Deadline;
using jianyan::v1::Principal;

constexpr int kPageDefault = 50, kPageMax = 500;
constexpr char kReassignAction[] = "reassign";

// The workflow's field names in messages, as this API names them.
absl::Status Rename(
    const absl::Status& s,
    std::initializer_list<std::pair<const char*, const char*>> names) {
  if (s.ok()) return s;
  for (const auto& [from, to] : names) {
    if (absl::StartsWith(s.message(), from)) {
      return absl::Status(s.code(),
                          absl::StrCat(to, s.message().substr(strlen(from))));
    }
  }
  return s;
}

absl::Status CheckLevel(jianyan::v1::EscalationLevel level,
                        absl::string_view field, bool required) {
  if (!jianyan::v1::EscalationLevel_IsValid(level)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown value"));
  }
  if (required && level == jianyan::v1::ESCALATION_LEVEL_NONE) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required (ESCALATION_LEVEL_URGE, _SUPERVISE or _LISTED)"));
  }
  return absl::OkStatus();
}

// The deadline an entry of the list is about: the one whose due time is
// the case's (overdue), or the first whose warning point passed (due soon).
Deadline DeadlineOf(const Case& c, bool overdue, absl::Time now) {
  if (overdue) {
    for (const auto* list : {&c.expired_deadlines(), &c.deadlines()}) {
      for (const Deadline& d : *list) {
        if (d.has_due_time() && c.has_due_time() &&
            FromProto(d.due_time()) == FromProto(c.due_time())) {
          return d;
        }
      }
    }
    return Deadline();
  }
  const Deadline* best = nullptr;
  for (const Deadline& d : c.deadlines()) {
    if (d.paused() || !d.has_due_time() || !d.has_warn_time()) continue;
    if (FromProto(d.warn_time()) > now || FromProto(d.due_time()) <= now) {
      continue;
    }
    if (best == nullptr ||
        FromProto(d.due_time()) < FromProto(best->due_time())) {
      best = &d;
    }
  }
  return best == nullptr ? Deadline() : *best;
}

}  // namespace

absl::StatusOr<std::string> SupervisionOps::ScopeRoot(
    const Principal& caller, const std::string& requested) const {
  JY_RETURN_IF_ERROR(CheckOptionalIdentifier(requested, "organisation_id"));
  if (!requested.empty() && !orgs_.Get(requested).has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "organisation_id: unknown organisation '", requested, "'"));
  }
  if (caller.role() != jianyan::v1::ROLE_SUPERVISOR) return requested;
  if (requested.empty()) return caller.organisation_id();
  if (!caller.organisation_id().empty() &&
      !orgs_.IsWithin(requested, caller.organisation_id())) {
    return absl::PermissionDeniedError(
        "organisation_id: outside the caller's scope (a supervisor sees its "
        "organisation and those below it)");
  }
  return requested;
}

absl::StatusOr<jianyan::v1::ListDeadlinesResponse>
SupervisionOps::ListDeadlines(const Principal& caller, const DeadlineQuery& q) {
  JY_ASSIGN_OR_RETURN(std::string root, ScopeRoot(caller, *q.organisation_id));
  if (!jianyan::v1::CaseKind_IsValid(q.kind)) {
    return absl::InvalidArgumentError("kind: unknown value");
  }
  JY_RETURN_IF_ERROR(CheckLevel(q.min_level, "min_level", false));
  storage::PageRequest page;
  JY_ASSIGN_OR_RETURN(page.page_size,
                      CheckPageSize(q.page_size, kPageDefault, kPageMax));
  JY_RETURN_IF_ERROR(CheckText(*q.page_token, "page_token", 4096));
  page.page_token = *q.page_token;

  const absl::Time now = clock_.Now();
  storage::CaseQuery query;
  if (!root.empty()) query.organisation_ids = orgs_.ListScope(root);
  query.kind = q.kind;
  query.order = storage::CaseOrder::kDueAsc;
  query.min_escalation_level = q.min_level;
  if (q.overdue) {
    query.due_before = now;
  } else {
    query.due_after = now;
    query.warned_by = now;
  }
  JY_ASSIGN_OR_RETURN(query, policy_.NarrowQuery(caller, std::move(query)));
  JY_ASSIGN_OR_RETURN(storage::CasePage found, store_.ListCases(query, page));
  jianyan::v1::ListDeadlinesResponse out;
  for (const Case& c : found.cases) {
    auto* entry = out.add_entries();
    *entry->mutable_case_() = Summarize(c);
    if (!policy_.SeesSubmitter(caller, c)) {
      entry->mutable_case_()->clear_submitter_masked();
    }
    *entry->mutable_deadline() = DeadlineOf(c, q.overdue, now);
  }
  out.set_next_page_token(found.next_page_token);
  *out.mutable_as_of() = ToProto(now);
  return out;
}

absl::StatusOr<jianyan::v1::ListDeadlinesResponse> SupervisionOps::ListOverdue(
    const Principal& caller, const jianyan::v1::ListOverdueRequest& r) {
  return ListDeadlines(caller, {&r.organisation_id(), r.kind(), r.min_level(),
                                r.page_size(), &r.page_token(), true});
}

absl::StatusOr<jianyan::v1::ListDeadlinesResponse> SupervisionOps::ListDueSoon(
    const Principal& caller, const jianyan::v1::ListDueSoonRequest& r) {
  return ListDeadlines(caller, {&r.organisation_id(), r.kind(), r.min_level(),
                                r.page_size(), &r.page_token(), false});
}

void SupervisionOps::Escalate(const Principal& caller,
                              const jianyan::v1::EscalateRequest& request,
                              Done<jianyan::v1::EscalateResponse> done,
                              absl::Time deadline) {
  absl::Status valid = CheckLevel(request.level(), "level", true);
  if (valid.ok()) valid = CheckText(request.note(), "note", 2000);
  if (valid.ok() && request.has_reply_due_time()) {
    absl::StatusOr<absl::Time> due =
        CheckTimestamp(request.reply_due_time(), "reply_due_time");
    if (!due.ok()) {
      valid = due.status();
    } else if (*due <= clock_.Now()) {
      valid =
          absl::InvalidArgumentError("reply_due_time: must be later than now");
    }
  }
  if (!valid.ok()) return done(valid);
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(request.case_number());
  absl::StatusOr<Case> c = cases_.GetCase(caller, get);
  if (!c.ok()) return done(c.status());
  absl::StatusOr<DefinitionPtr> def =
      registry_.Pinned(c->definition_name(), c->definition_version());
  if (!def.ok()) return done(def.status());
  const jianyan::v1::ActionDef* action =
      EscalationAction(**def, request.level());
  if (action == nullptr) {
    return done(absl::FailedPreconditionError(
        absl::StrCat("level: the case's workflow '", (*def)->name(),
                     "' has no supervisor action for ",
                     jianyan::v1::EscalationLevel_Name(request.level()))));
  }
  jianyan::v1::ActRequest act;
  act.set_request_id(request.request_id());
  act.set_case_number(request.case_number());
  act.set_expected_version(request.expected_version());
  act.set_action(action->name());
  if (!request.note().empty()) act.set_reason(request.note());
  if (request.has_reply_due_time()) {
    (*act.mutable_fields())["reply_due_time"] = absl::FormatTime(
        absl::RFC3339_full, FromProto(request.reply_due_time()),
        absl::UTCTimeZone());
  }
  cases_.Act(
      caller, act,
      [done = std::move(done)](absl::StatusOr<jianyan::v1::ActResponse> acted) {
        if (!acted.ok()) {
          return done(Rename(acted.status(),
                             {{"fields.reason", "note"},
                              {"fields.reply_due_time", "reply_due_time"}}));
        }
        jianyan::v1::EscalateResponse out;
        *out.mutable_case_() = std::move(*acted->mutable_case_());
        done(std::move(out));
      },
      deadline);
}

void SupervisionOps::Reassign(const Principal& caller,
                              const jianyan::v1::ReassignRequest& request,
                              Done<jianyan::v1::ReassignResponse> done,
                              absl::Time deadline) {
  if (request.organisation_id().empty()) {
    return done(absl::InvalidArgumentError("organisation_id: required"));
  }
  absl::StatusOr<std::string> target =
      ScopeRoot(caller, request.organisation_id());
  if (!target.ok()) return done(target.status());
  if (request.reason().empty()) {
    return done(
        absl::InvalidArgumentError("reason: required (why the case moves)"));
  }
  jianyan::v1::ActRequest act;
  act.set_request_id(request.request_id());
  act.set_case_number(request.case_number());
  act.set_expected_version(request.expected_version());
  act.set_action(kReassignAction);
  act.set_reason(request.reason());
  (*act.mutable_fields())["organisation_id"] = request.organisation_id();
  cases_.Act(
      caller, act,
      [done = std::move(done)](absl::StatusOr<jianyan::v1::ActResponse> acted) {
        if (!acted.ok()) {
          return done(Rename(acted.status(),
                             {{"fields.reason", "reason"},
                              {"fields.organisation_id", "organisation_id"}}));
        }
        jianyan::v1::ReassignResponse out;
        *out.mutable_case_() = std::move(*acted->mutable_case_());
        done(std::move(out));
      },
      deadline);
}

absl::StatusOr<NoticeFilter> SupervisionOps::WatchFilter(
    const Principal& caller,
    const jianyan::v1::WatchEscalationsRequest& request) const {
  NoticeFilter filter;
  JY_ASSIGN_OR_RETURN(filter.organisation_id,
                      ScopeRoot(caller, request.organisation_id()));
  JY_RETURN_IF_ERROR(CheckLevel(request.min_level(), "min_level", false));
  filter.min_level = request.min_level();
  for (int i = 0; i < request.kinds_size(); ++i) {
    const auto kind = request.kinds(i);
    if (!jianyan::v1::NoticeKind_IsValid(kind) ||
        kind == jianyan::v1::NOTICE_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds[", i, "]: unknown value"));
    }
    filter.kinds.push_back(kind);
  }
  return filter;
}

}  // namespace jianyan
