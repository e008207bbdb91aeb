#include "services/core/case_view.h"

#include "absl/strings/str_cat.h"

namespace jianyan {
namespace {

// Bytes of the UTF-8 sequence starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
}

}  // namespace

std::string MaskName(absl::string_view name) {
  if (name.empty()) return std::string();
  size_t first = std::min(name.size(), Utf8Length(name[0]));
  return absl::StrCat(name.substr(0, first), "*");
}

std::string MaskPhone(absl::string_view phone) {
  if (phone.size() < 8) return std::string(phone.empty() ? "" : "****");
  return absl::StrCat(phone.substr(0, 3), "****",
                      phone.substr(phone.size() - 4));
}

jianyan::v1::Case CaseAsSeen(jianyan::v1::Case c, bool full) {
  if (full) return c;
  jianyan::v1::Submitter* s = c.mutable_submitter();
  s->clear_suggester_id();       // names an anonymous or invited suggester
  c.clear_possible_repeat_of();  // other cases of the same people
  if (c.confidential()) {
    // An accuser is not even masked: nothing of them is shown.
    s->clear_representatives();
    s->clear_group_size();
    return c;
  }
  for (jianyan::v1::Person& p :
       *c.mutable_submitter()->mutable_representatives()) {
    p.set_name(MaskName(p.name()));
    p.set_phone(MaskPhone(p.phone()));
    p.clear_id_number();
    p.clear_address();
  }
  return c;
}

absl::Status CheckCaseView(int view, absl::string_view field) {
  if (jianyan::v1::CaseView_IsValid(view)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown value ", view, " (see enum CaseView)"));
}

void TrimToView(jianyan::v1::CaseView view, jianyan::v1::Case* c) {
  if (view != jianyan::v1::CASE_VIEW_BASIC) return;
  c->clear_submitter();
  c->clear_content();
  c->clear_attachments();
}

jianyan::v1::CaseSummary Summarize(const jianyan::v1::Case& c) {
  jianyan::v1::CaseSummary s;
  s.set_case_number(c.case_number());
  s.set_kind(c.kind());
  s.set_petition_type(c.petition_type());
  s.set_state(c.state());
  *s.mutable_state_label() = c.state_label();
  s.set_title(c.title());
  s.set_handling_organisation_id(c.handling_organisation_id());
  s.set_reporting_point_id(c.reporting_point_id());
  *s.mutable_create_time() = c.create_time();
  if (c.has_due_time()) *s.mutable_due_time() = c.due_time();
  s.set_escalation_level(c.escalation_level());
  if (!c.confidential() && !c.submitter().anonymous() &&
      c.submitter().representatives_size() > 0) {
    s.set_submitter_masked(MaskName(c.submitter().representatives(0).name()));
  }
  s.set_version(c.version());
  s.set_campaign_id(c.campaign_id());
  return s;
}

}  // namespace jianyan
