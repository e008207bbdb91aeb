// Fuzz target: an Act as any caller could send it (the bytes as a
// serialized ActRequest: action, fields, reason), checked and applied by
// the workflow engine to a petition of the shipped definition in one of
// four states, by a role and organisation the same bytes choose. Whatever
// is accepted must produce the next version.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "workflow/definition_loader.h"
#include "workflow/transition.h"

namespace {

using jianyan::Command;
using jianyan::Definition;
using jianyan::v1::Case;

const absl::Time kNow = absl::FromUnixSeconds(1772413200);  // 2026-03-02

jianyan::v1::Actor ActorOf(jianyan::v1::Role role, const std::string& org) {
  jianyan::v1::Actor a;
  a.set_principal_id("fuzz");
  a.set_role(role);
  a.set_organisation_id(org);
  return a;
}

Case Step(const Definition& def, const Case& c, const std::string& action,
          std::map<std::string, std::string> fields) {
  Command command;
  command.action = action;
  command.actor = ActorOf(jianyan::v1::ROLE_HANDLER, "bureau");
  command.fields = std::move(fields);
  command.request_id = "fuzz-" + action;
  auto moved = jianyan::Transition(def, c, command, kNow);
  if (!moved.ok()) std::abort();  // the fixture itself is wrong
  return moved->change.case_after;
}

struct Fixture {
  std::shared_ptr<const Definition> def;
  std::vector<Case> cases;  // registered, handling, responded, answered
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    auto defs = jianyan::LoadDefaultDefinitions();
    if (!defs.ok()) std::abort();
    auto* f = new Fixture;
    f->def = defs->at("petition");
    Case intake;
    intake.set_kind(jianyan::v1::CASE_KIND_PETITION);
    intake.set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
    intake.set_channel(jianyan::v1::CHANNEL_TERMINAL);
    intake.set_routing_organisation_id("bureau");
    intake.set_title("供暖");
    intake.set_content("室温低");
    intake.mutable_submitter()->add_representatives()->set_name("张三");
    auto created =
        jianyan::CreateCase(*f->def, intake, "P2026000000001X",
                            ActorOf(jianyan::v1::ROLE_SERVICE, ""), kNow);
    if (!created.ok()) std::abort();
    f->cases.push_back(created->change.case_after);
    f->cases.push_back(Step(*f->def, f->cases.back(), "accept", {}));
    f->cases.push_back(
        Step(*f->def, f->cases.back(), "respond", {{"opinion", "support"}}));
    f->cases.push_back(Step(*f->def, f->cases.back(), "deliver", {}));
    return f;
  }();
  return *fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& f = GetFixture();
  jianyan::v1::ActRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  const Case& c = f.cases[request.expected_version() % f.cases.size()];
  Command command;
  command.action = request.action();
  command.actor = ActorOf(
      static_cast<jianyan::v1::Role>(request.expected_version() / 4 % 9),
      request.case_number());
  command.fields.insert(request.fields().begin(), request.fields().end());
  if (!request.reason().empty()) command.fields["reason"] = request.reason();
  if (!request.reason_code().empty()) {
    command.fields["reason_code"] = request.reason_code();
  }
  command.request_id = request.request_id();
  auto moved = jianyan::Transition(*f.def, c, command, kNow);
  if (moved.ok() && moved->change.case_after.version() != c.version() + 1) {
    std::abort();
  }
  return 0;
}
