#include "services/cli/views.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cli/format.h"
#include "workflow/time_util.h"

namespace jianyan::cli {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Kind(jianyan::v1::CaseKind kind) {
  return EnumShort(jianyan::v1::CaseKind_descriptor(), kind);
}

std::string RatingText(const jianyan::v1::Rating& r) {
  if (r.level() == jianyan::v1::RATING_LEVEL_UNSPECIFIED) return "-";
  std::string text =
      absl::StrCat(EnumShort(jianyan::v1::RatingLevel_descriptor(), r.level()),
                   " (", FormatTime(r.time()), ")");
  if (!r.comment().empty()) absl::StrAppend(&text, ": ", r.comment());
  return text;
}

}  // namespace

void ShowPublicStatus(Output& out, const jianyan::v1::PublicStatus& s) {
  if (out.json()) return out.Json(s);
  Fields fields = {
      {"case", s.case_number()},
      {"kind", Kind(s.kind())},
      {"state", absl::StrCat(LabelAnd(s.state_label(), s.state()),
                             s.open() ? "" : " (closed)")},
      {"received", FormatTime(s.receive_time())},
      {"updated", FormatTime(s.update_time())},
      {"handled by", s.handling_organisation().zh().empty()
                         ? "-"
                         : s.handling_organisation().zh()},
      {"due", FormatTime(s.due_time())},
      {"rateable", s.rateable() ? absl::StrCat("yes, until ",
                                               FormatTime(s.rating_due_time()))
                                : "no"},
      {"rating", RatingText(s.rating())},
  };
  if (!s.response_summary().empty()) {
    fields.push_back({"response", s.response_summary()});
  }
  out.Record(fields);
  if (s.steps_size() == 0) return;
  out.stream() << "\n";
  Table steps({"TIME", "STEP"});
  for (const auto& step : s.steps()) {
    steps.Add(
        {FormatTime(step.time()), LabelAnd(step.label(), step.label().en())});
  }
  out.Print(steps);
}

void ShowReceipt(Output& out, const jianyan::v1::Receipt& r, bool first) {
  if (out.json()) return out.Json(r);
  Fields fields = {{"case", r.case_number()}};
  if (first) {
    fields.push_back(
        {"query code",
         absl::StrCat(r.query_code(),
                      "   (shown once: give it to the petitioner)")});
  }
  fields.insert(fields.end(),
                {{"kind", Kind(r.kind())},
                 {"title", r.title()},
                 {"state", LabelAnd(r.state_label(), r.state())},
                 {"received", FormatTime(r.receive_time())},
                 {"reporting point", r.reporting_point_id()},
                 {"acceptance due", FormatTime(r.acceptance_due_time())}});
  out.Record(fields);
}

void ShowCase(Output& out, const jianyan::v1::Case& c) {
  if (out.json()) return out.Json(c);
  Fields fields = {
      {"case", c.case_number()},
      {"kind",
       c.petition_type() == jianyan::v1::PETITION_TYPE_UNSPECIFIED
           ? Kind(c.kind())
           : absl::StrCat(Kind(c.kind()), " / ",
                          EnumShort(jianyan::v1::PetitionType_descriptor(),
                                    c.petition_type()))},
      {"title", c.title()},
      {"state", absl::StrCat(LabelAnd(c.state_label(), c.state()),
                             c.open() ? "" : " (closed)")},
      {"version", absl::StrCat(c.version())},
      {"workflow", absl::StrCat(c.definition_name(), " ",
                                c.definition_version().substr(0, 12))},
      {"handling org",
       c.handling_organisation_id().empty()
           ? absl::StrCat("- (routing: ", c.routing_organisation_id(), ")")
           : c.handling_organisation_id()},
      {"reporting point", c.reporting_point_id()},
      {"category", c.category()},
      {"created", FormatTime(c.create_time())},
      {"updated", FormatTime(c.update_time())},
      {"due", FormatTime(c.due_time())},
      {"escalation", EnumShort(jianyan::v1::EscalationLevel_descriptor(),
                               c.escalation_level())},
      {"rating", RatingText(c.rating())},
  };
  for (const auto& [key, value] : c.attributes()) {
    fields.push_back({absl::StrCat("attribute ", key), value});
  }
  if (!c.possible_repeat_of().empty()) {
    fields.push_back(
        {"possible repeat of", absl::StrJoin(c.possible_repeat_of(), ", ")});
  }
  out.Record(fields);
  out.stream() << "\n" << c.content() << "\n";
  if (c.deadlines_size() == 0) return;
  out.stream() << "\n";
  Table deadlines({"DEADLINE", "STARTED", "DUE", "WARN", "NOTE"});
  for (const auto& d : c.deadlines()) {
    std::string note = d.paused() ? "paused" : "";
    if (d.extensions() > 0) {
      absl::StrAppend(&note, note.empty() ? "" : ", ", "extended ",
                      d.extensions(), "x");
    }
    deadlines.Add({LabelAnd(d.label(), d.timer()), FormatTime(d.start_time()),
                   FormatTime(d.due_time()), FormatTime(d.warn_time()), note});
  }
  out.Print(deadlines);
}

void ShowActions(Output& out, const jianyan::v1::ListActionsResponse& a) {
  if (out.json()) return out.Json(a);
  out.stream() << a.case_number() << "  state " << a.state() << ", version "
               << a.version() << "\n";
  if (a.actions_size() == 0) {
    out.stream() << "no action is open to this token now\n";
    return;
  }
  Table table({"ACTION", "LABEL", "TO", "FIELDS (* required)"});
  for (const auto& action : a.actions()) {
    table.Add({action.action(), action.label().zh(),
               action.to_state().empty() ? "-" : action.to_state(),
               FieldsText(action)});
  }
  out.Print(table);
}

std::string FieldsText(const jianyan::v1::AvailableAction& action) {
  std::vector<std::string> fields;
  for (const auto& f : action.fields()) {
    std::string text = absl::StrCat(f.name(), f.required() ? "*" : "");
    if (f.allowed_values_size() > 0) {
      absl::StrAppend(&text, "=", absl::StrJoin(f.allowed_values(), "|"));
    }
    fields.push_back(text);
  }
  return fields.empty() ? "-" : absl::StrJoin(fields, " ");
}

std::vector<std::string> SummaryHeader() {
  return {"NUMBER", "KIND", "STATE", "DUE", "LEVEL", "ORG", "VER", "TITLE"};
}

std::vector<std::string> SummaryCells(const jianyan::v1::CaseSummary& c) {
  return {
      c.case_number(),
      Kind(c.kind()),
      c.state(),
      FormatTime(c.due_time()),
      EnumShort(jianyan::v1::EscalationLevel_descriptor(),
                c.escalation_level()),
      c.handling_organisation_id().empty() ? "-" : c.handling_organisation_id(),
      absl::StrCat(c.version()),
      Truncate(c.title(), 30)};
}

std::vector<std::string> EventHeader() {
  return {"SEQ", "TIME", "ACTION", "ACTOR", "STATE", "DETAIL"};
}

std::vector<std::string> EventCells(const jianyan::v1::Event& e) {
  std::vector<std::string> detail;
  if (!e.reason_code().empty()) detail.push_back(e.reason_code());
  if (!e.reason().empty()) detail.push_back(e.reason());
  for (const auto& [key, value] : e.fields()) {
    if (key != "reason" && key != "reason_code") {
      detail.push_back(absl::StrCat(key, "=", value));
    }
  }
  if (e.rating().level() != jianyan::v1::RATING_LEVEL_UNSPECIFIED) {
    detail.push_back(RatingText(e.rating()));
  }
  const std::string state =
      e.from_state() == e.to_state() || e.to_state().empty()
          ? e.from_state()
          : absl::StrCat(e.from_state(), e.from_state().empty() ? "" : " → ",
                         e.to_state());
  return {absl::StrCat(e.seq()),
          FormatTime(e.time()),
          e.action(),
          e.actor().principal_id().empty() ? "-" : e.actor().principal_id(),
          state,
          Truncate(absl::StrJoin(detail, "; "), 60)};
}

std::vector<std::string> DeadlineHeader() {
  return {"NUMBER", "DEADLINE", "DUE", "LEFT", "LEVEL", "ORG", "TITLE"};
}

std::vector<std::string> DeadlineCells(const jianyan::v1::DeadlineEntry& e,
                                       absl::Time now) {
  const jianyan::v1::CaseSummary& c = e.case_();
  const jianyan::v1::Deadline& d = e.deadline();
  return {
      c.case_number(),
      LabelAnd(d.label(), d.timer()),
      FormatTime(d.due_time()),
      d.has_due_time() ? ShortDuration(FromProto(d.due_time()) - now)
                       : "paused",
      EnumShort(jianyan::v1::EscalationLevel_descriptor(),
                c.escalation_level()),
      c.handling_organisation_id().empty() ? "-" : c.handling_organisation_id(),
      Truncate(c.title(), 30)};
}

std::string ActionNames(const jianyan::v1::ListActionsResponse& actions) {
  std::vector<std::string> names;
  for (const auto& a : actions.actions()) names.push_back(a.action());
  return names.empty() ? "(none)" : absl::StrJoin(names, ", ");
}

}  // namespace jianyan::cli
