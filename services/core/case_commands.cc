#include "services/core/case_commands.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/core/intake_checks.h"
#include "services/core/request_checks.h"
#include "workflow/command_check.h"
#include "workflow/deterministic_bytes.h"
#include "workflow/sha256.h"
#include "workflow/status_macros.h"
#include "workflow/transition.h"

namespace jianyan {
namespace {

using jianyan::v1::Case;
using jianyan::v1::Principal;

constexpr size_t kMaxReason = 2000;       // code points (ActRequest.reason)
constexpr size_t kMaxFieldValue = 20000;  // code points; definitions cap lower

// A fingerprint of the request: a retry must send the same bytes.
std::string RequestHash(const google::protobuf::MessageLite& request) {
  return Sha256Digest(DeterministicBytes(request));
}

absl::Status CheckActionName(const std::string& name, absl::string_view field) {
  if (name.empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  bool ok = name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  return ok ? absl::OkStatus()
            : absl::InvalidArgumentError(absl::StrCat(
                  field, ": must be 1..64 characters of [a-z][a-z0-9_]*"));
}

// Merges the reason shorthands into the fields (INVALID_ARGUMENT when both
// are set and differ) and checks names and sizes.
absl::StatusOr<std::map<std::string, std::string>> ActFields(
    const jianyan::v1::ActRequest& r) {
  std::map<std::string, std::string> fields(r.fields().begin(),
                                            r.fields().end());
  for (const auto& [name, value] : fields) {
    JY_RETURN_IF_ERROR(CheckActionName(name, "fields"));
    JY_RETURN_IF_ERROR(
        CheckText(value, absl::StrCat("fields.", name), kMaxFieldValue));
  }
  JY_RETURN_IF_ERROR(CheckText(r.reason(), "reason", kMaxReason));
  JY_RETURN_IF_ERROR(CheckText(r.reason_code(), "reason_code", 64));
  for (const auto& [key, value] :
       {std::make_pair(std::string("reason"), r.reason()),
        std::make_pair(std::string("reason_code"), r.reason_code())}) {
    if (value.empty()) continue;
    auto [it, inserted] = fields.emplace(key, value);
    if (!inserted && it->second != value) {
      return absl::InvalidArgumentError(absl::StrCat(
          key, ": differs from fields.", key, " (set one of them)"));
    }
  }
  return fields;
}

storage::IdempotencyInput Idempotency(const std::string& principal,
                                      const std::string& request_id,
                                      const google::protobuf::MessageLite& r) {
  storage::IdempotencyInput in;
  in.principal_id = principal;
  in.request_id = request_id;
  in.request_hash = RequestHash(r);
  return in;
}

// An Act's fingerprint leaves out `view`, which shapes only the answer.
storage::IdempotencyInput ActIdempotency(const std::string& principal,
                                         const jianyan::v1::ActRequest& r) {
  if (r.view() == jianyan::v1::CASE_VIEW_UNSPECIFIED) {
    return Idempotency(principal, r.request_id(), r);
  }
  jianyan::v1::ActRequest command = r;
  command.clear_view();
  return Idempotency(principal, r.request_id(), command);
}

}  // namespace

absl::StatusOr<std::optional<CaseCommands::Replay>> CaseCommands::SeenRequest(
    const storage::IdempotencyInput& in) {
  absl::StatusOr<jianyan::v1::IdempotencyRecord> record =
      store_.LookupRequest(in.principal_id, in.request_id);
  if (absl::IsNotFound(record.status())) return std::nullopt;
  if (!record.ok()) return record.status();
  if (record->request_hash() != in.request_hash) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id: ", in.request_id,
                     " was already used for a different request"));
  }
  storage::ApplyResult replay;
  replay.replayed = true;
  replay.case_number = record->case_number();
  replay.version = record->version();
  replay.first_event_seq = record->first_event_seq();
  replay.last_event_seq = record->last_event_seq();
  return replay;
}

Case CaseCommands::ViewFor(const Principal& caller, Case c) const {
  const bool full = policy_.SeesSubmitter(caller, c);
  return CaseAsSeen(std::move(c), full);
}

absl::StatusOr<Case> CaseCommands::VisibleCase(const Principal& caller,
                                               const std::string& field,
                                               const std::string& number) {
  JY_ASSIGN_OR_RETURN(storage::CaseRead read,
                      VisibleCaseForUpdate(caller, field, number));
  return std::move(*read.stored.mutable_case_());
}

absl::StatusOr<storage::CaseRead> CaseCommands::VisibleCaseForUpdate(
    const Principal& caller, const std::string& field,
    const std::string& number) {
  JY_ASSIGN_OR_RETURN(std::string no, CheckCaseNumber(number, field));
  absl::StatusOr<storage::CaseRead> read = store_.ReadCaseForUpdate(no);
  if (absl::IsNotFound(read.status())) {
    return absl::NotFoundError(absl::StrCat("case ", no, " not found"));
  }
  if (!read.ok()) return read.status();
  JY_RETURN_IF_ERROR(policy_.CheckCase(caller, read->stored.case_()));
  return read;
}

absl::StatusOr<Case> CaseCommands::AnsweredCase(const Principal& caller,
                                                storage::ApplyResult& result) {
  if (result.case_after.has_value()) {
    return ViewFor(caller, *std::move(result.case_after));
  }
  JY_ASSIGN_OR_RETURN(jianyan::v1::StoredCase stored,
                      store_.GetCase(result.case_number));
  Case c = std::move(*stored.mutable_case_());
  if (!policy_.CheckCase(caller, c).ok()) {
    // Out of the caller's scope now: only what its command made.
    c.Clear();
    c.set_case_number(result.case_number);
    c.set_version(result.version);
    return c;
  }
  return ViewFor(caller, std::move(c));
}

absl::StatusOr<storage::ApplyRequest> CaseCommands::PrepareCreate(
    const Principal& caller, const jianyan::v1::CreateCaseRequest& request,
    std::optional<storage::ApplyResult>* replay) {
  JY_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_case_()) {
    return absl::InvalidArgumentError("case: required");
  }
  jianyan::v1::Actor actor = ActorOf(caller);
  std::string on_behalf_suggester;
  if (request.has_on_behalf_of()) {
    const auto& who = request.on_behalf_of();
    if (who.role() != jianyan::v1::ROLE_TERMINAL &&
        who.role() != jianyan::v1::ROLE_SUGGESTER) {
      return absl::InvalidArgumentError(
          "on_behalf_of.role: must be ROLE_TERMINAL or ROLE_SUGGESTER");
    }
    JY_RETURN_IF_ERROR(
        CheckIdentifier(who.principal_id(), "on_behalf_of.principal_id"));
    JY_RETURN_IF_ERROR(CheckOptionalIdentifier(
        who.reporting_point_id(), "on_behalf_of.reporting_point_id"));
    // The edge names a principal it authenticated; the core checks that it
    // is what the edge says (its role, its reporting point).
    absl::StatusOr<Principal> named = store_.GetPrincipal(who.principal_id());
    if (absl::IsNotFound(named.status())) {
      return absl::InvalidArgumentError(
          "on_behalf_of.principal_id: unknown principal");
    }
    if (!named.ok()) return named.status();
    if (named->revoked() || named->role() != who.role() ||
        named->reporting_point_id() != who.reporting_point_id()) {
      return absl::InvalidArgumentError(
          "on_behalf_of: does not match the principal's role, reporting point "
          "or standing");
    }
    on_behalf_suggester = named->suggester_id();
    actor = who;
    actor.clear_organisation_id();
    actor.clear_capabilities();
  }
  if (request.query_code_hash().size() > 64) {
    return absl::InvalidArgumentError("query_code_hash: at most 64 bytes");
  }
  JY_RETURN_IF_ERROR(
      CheckOptionalIdentifier(request.definition_name(), "definition_name"));
  Case intake = request.case_();
  if (actor.role() == jianyan::v1::ROLE_SUGGESTER) {
    // A suggester's scope is its own suggestions: the id comes from its
    // principal, never from the request.
    intake.mutable_submitter()->set_suggester_id(on_behalf_suggester);
  }
  if (actor.role() == jianyan::v1::ROLE_TERMINAL &&
      actor.reporting_point_id() != intake.reporting_point_id()) {
    return absl::InvalidArgumentError(
        "case.reporting_point_id: must be the terminal's reporting point "
        "(on_behalf_of.reporting_point_id)");
  }
  JY_RETURN_IF_ERROR(CheckCaseIntake(store_, clock_.Now(), intake));
  DefinitionPtr def;
  if (request.definition_name().empty()) {
    JY_ASSIGN_OR_RETURN(def, registry_.DefaultFor(intake.kind()));
  } else {
    absl::StatusOr<DefinitionPtr> named =
        registry_.Current(request.definition_name());
    if (!named.ok()) {
      return absl::InvalidArgumentError(named.status().message());
    }
    def = *std::move(named);
    if (def->proto().kind() != intake.kind()) {
      return absl::InvalidArgumentError(
          "definition_name: the definition is for another case kind");
    }
  }
  storage::ApplyRequest apply;
  apply.idempotency =
      Idempotency(actor.principal_id(), request.request_id(), request);
  // A retry is answered from its record and spends no case number.
  JY_ASSIGN_OR_RETURN(*replay, SeenRequest(*apply.idempotency));
  if (replay->has_value()) return apply;
  // After the replay check: a retry is answered as it was the first time.
  JY_RETURN_IF_ERROR(CheckRepeatedMatter(store_, registry_, intake));
  const absl::Time now = clock_.Now();
  JY_ASSIGN_OR_RETURN(
      std::string number,
      store_.AllocateCaseNumber(
          intake.kind(), absl::ToCivilYear(now, ChinaTimeZone()).year()));
  JY_ASSIGN_OR_RETURN(TransitionResult created,
                      jianyan::CreateCase(*def, intake, number, actor, now));
  apply.change = std::move(created.change);
  apply.query_code_hash = request.query_code_hash();
  return apply;
}

void CaseCommands::CreateCase(const Principal& caller,
                              const jianyan::v1::CreateCaseRequest& request,
                              Done<jianyan::v1::CreateCaseResponse> done,
                              absl::Time deadline) {
  std::optional<storage::ApplyResult> replay;
  absl::StatusOr<storage::ApplyRequest> prepared =
      PrepareCreate(caller, request, &replay);
  if (!prepared.ok()) return done(prepared.status());
  prepared->deadline = deadline;
  // A replay (found here or by the store) shows the stored case.
  auto answer = [this, who = caller, done = std::move(done)](
                    absl::StatusOr<storage::ApplyResult> applied) {
    if (!applied.ok()) return done(applied.status());
    absl::StatusOr<Case> shown = AnsweredCase(who, *applied);
    if (!shown.ok()) return done(shown.status());
    jianyan::v1::CreateCaseResponse response;
    *response.mutable_case_() = *std::move(shown);
    done(std::move(response));
  };
  if (replay.has_value()) return answer(*std::move(replay));
  store_.ApplyAsync(*std::move(prepared), std::move(answer));
}

absl::StatusOr<storage::ApplyRequest> CaseCommands::PrepareAct(
    const Principal& caller, const jianyan::v1::ActRequest& request,
    std::optional<storage::ApplyResult>* replay) {
  JY_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  JY_ASSIGN_OR_RETURN(std::string no, CheckCaseNumber(request.case_number()));
  if (request.expected_version() == 0) {
    return absl::InvalidArgumentError(
        "expected_version: required (the case version the caller saw)");
  }
  JY_RETURN_IF_ERROR(CheckActionName(request.action(), "action"));
  JY_ASSIGN_OR_RETURN(auto fields, ActFields(request));
  JY_RETURN_IF_ERROR(CheckCaseView(request.view(), "view"));
  storage::ApplyRequest apply;
  apply.idempotency = ActIdempotency(caller.id(), request);
  // A retry is answered from its record alone: the named case is not read,
  // so a reused request id cannot probe which case numbers exist.
  JY_ASSIGN_OR_RETURN(*replay, SeenRequest(*apply.idempotency));
  if (replay->has_value()) return apply;
  JY_ASSIGN_OR_RETURN(storage::CaseRead read,
                      VisibleCaseForUpdate(caller, "case_number", no));
  const Case& c = read.stored.case_();
  JY_ASSIGN_OR_RETURN(
      DefinitionPtr def,
      registry_.Pinned(c.definition_name(), c.definition_version()));
  // Role before version before state: a caller without the right learns
  // nothing more of the case.
  const jianyan::v1::ActionDef* action = def->FindAction(request.action());
  if (action == nullptr || action->name() == def->proto().create_action()) {
    return absl::InvalidArgumentError(
        absl::StrCat("action: unknown action '", request.action(),
                     "' in definition '", def->name(), "'"));
  }
  JY_RETURN_IF_ERROR(CheckRole(*action, caller.role()));
  if (request.expected_version() != c.version()) {
    return absl::AbortedError(
        absl::StrCat("expected_version: ", request.expected_version(),
                     " is stale; the case is at version ", c.version()));
  }
  if (action->routes_to_parent_organisation()) {
    if (fields.count("organisation_id") > 0) {
      return absl::InvalidArgumentError(
          "fields.organisation_id: set by the core (the parent of the "
          "handling organisation), not by the caller");
    }
    std::string parent = orgs_.Parent(c.handling_organisation_id());
    if (parent.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("handling organisation '", c.handling_organisation_id(),
                       "' has no parent in the directory to take the '",
                       action->name(), "'"));
    }
    fields["organisation_id"] = parent;
  }
  Command command;
  command.action = request.action();
  command.actor = ActorOf(caller);
  command.fields = std::move(fields);
  command.request_id = request.request_id();
  if (auto target = command.fields.find("organisation_id");
      target != command.fields.end()) {
    command.organisation_ancestors = orgs_.Ancestors(target->second);
  }
  JY_ASSIGN_OR_RETURN(TransitionResult moved,
                      Transition(*def, c, command, clock_.Now()));
  apply.change = std::move(moved.change);
  apply.expected_version = c.version();
  // The store stages against this read unless the case changed since.
  apply.read = std::move(read);
  return apply;
}

void CaseCommands::Act(const Principal& caller,
                       const jianyan::v1::ActRequest& request,
                       Done<jianyan::v1::ActResponse> done,
                       absl::Time deadline) {
  std::optional<storage::ApplyResult> replay;
  absl::StatusOr<storage::ApplyRequest> prepared =
      PrepareAct(caller, request, &replay);
  if (!prepared.ok()) return done(prepared.status());
  prepared->deadline = deadline;
  // First answers and replays are both built from the store's result: the
  // command's events by sequence number, and the case.
  // A replay found by the store itself (a race of two retries) shows the
  // stored case, not this attempt's.
  auto answer =
      [this, who = caller, view = request.view(),
       done = std::move(done)](absl::StatusOr<storage::ApplyResult> applied) {
        if (!applied.ok()) return done(applied.status());
        absl::StatusOr<Case> shown = AnsweredCase(who, *applied);
        if (!shown.ok()) return done(shown.status());
        TrimToView(view, &*shown);
        // A fresh command's events come with its result; a replay's are read.
        absl::StatusOr<std::vector<jianyan::v1::Event>> events =
            !applied->events.empty()
                ? std::move(applied->events)
                : store_.GetEventRange(applied->case_number,
                                       applied->first_event_seq,
                                       applied->last_event_seq);
        if (!events.ok()) return done(events.status());
        jianyan::v1::ActResponse response;
        *response.mutable_case_() = *std::move(shown);
        for (auto& e : *events) *response.add_events() = std::move(e);
        done(std::move(response));
      };
  if (replay.has_value()) return answer(*std::move(replay));
  store_.ApplyAsync(*std::move(prepared), std::move(answer));
}

}  // namespace jianyan
