// Calls on the core's gRPC services that the in-process tests
// (core_server.h) and the process tests (tests/integration/) all make: an
// action on a case's current version, a new principal's token, and the
// directory entries they seed.
#ifndef JIANYAN_TESTS_SERVICES_CORE_CALLS_H_
#define JIANYAN_TESTS_SERVICES_CORE_CALLS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"

namespace jianyan::testing {

// A new context for each call, carrying the caller's credentials.
using ContextFactory = std::function<std::unique_ptr<grpc::ClientContext>()>;

// `action` with `fields` on case `number` at the version a GetCase just
// read, both calls in contexts from `as`; the Act call's status (or the
// GetCase's when that failed), its response in *out unless null.
inline grpc::Status ActOnCurrentVersion(
    jianyan::v1::WorkflowService::Stub& workflow, const ContextFactory& as,
    const std::string& request_id, const std::string& number,
    const std::string& action, const std::map<std::string, std::string>& fields,
    jianyan::v1::ActResponse* out) {
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(number);
  jianyan::v1::Case current;
  grpc::Status s = workflow.GetCase(as().get(), get, &current);
  if (!s.ok()) return s;
  jianyan::v1::ActRequest req;
  req.set_request_id(request_id);
  req.set_case_number(number);
  req.set_expected_version(current.version());
  req.set_action(action);
  for (const auto& [k, v] : fields) (*req.mutable_fields())[k] = v;
  jianyan::v1::ActResponse resp;
  s = workflow.Act(as().get(), req, &resp);
  if (out != nullptr) *out = resp;
  return s;
}

// Creates principal `id` (request id "principal-<id>") in the context
// `admin_ctx` of an admin; its token, or "" after recording the failure.
inline std::string NewPrincipalToken(
    jianyan::v1::AdminService::Stub& admin,
    std::unique_ptr<grpc::ClientContext> admin_ctx, const std::string& id,
    jianyan::v1::Role role, const std::string& org = "",
    const std::string& point = "", const std::string& suggester = "") {
  jianyan::v1::CreatePrincipalRequest req;
  req.set_request_id(absl::StrCat("principal-", id));
  auto* p = req.mutable_principal();
  p->set_id(id);
  p->set_role(role);
  p->set_organisation_id(org);
  p->set_reporting_point_id(point);
  p->set_suggester_id(suggester);
  jianyan::v1::CreatePrincipalResponse resp;
  grpc::Status s = admin.CreatePrincipal(admin_ctx.get(), req, &resp);
  EXPECT_TRUE(s.ok()) << id << ": " << s.error_message();
  return resp.token();
}

// Puts active organisation `id` (region 370902) below `parent` ("" for a
// root) in the context `admin_ctx` of an admin; the test fails on error.
inline void SeedOrganisation(jianyan::v1::AdminService::Stub& admin,
                             std::unique_ptr<grpc::ClientContext> admin_ctx,
                             const std::string& id, const std::string& parent,
                             const std::string& zh,
                             jianyan::v1::OrganisationLevel level) {
  jianyan::v1::PutOrganisationRequest req;
  req.set_request_id(absl::StrCat("org-", id));
  auto* o = req.mutable_organisation();
  o->set_id(id);
  o->set_parent_id(parent);
  o->mutable_name()->set_zh(zh);
  o->set_level(level);
  o->set_region_code("370902");
  o->set_active(true);
  jianyan::v1::Organisation out;
  grpc::Status s = admin.PutOrganisation(admin_ctx.get(), req, &out);
  ASSERT_TRUE(s.ok()) << id << ": " << s.error_message();
}

// Puts active reporting point `id` ("直报点") of `organisation` in the
// context `admin_ctx` of an admin; the test fails on error.
inline void SeedReportingPoint(jianyan::v1::AdminService::Stub& admin,
                               std::unique_ptr<grpc::ClientContext> admin_ctx,
                               const std::string& id,
                               const std::string& organisation) {
  jianyan::v1::PutReportingPointRequest req;
  req.set_request_id(absl::StrCat("point-", id));
  auto* p = req.mutable_reporting_point();
  p->set_id(id);
  p->mutable_name()->set_zh("直报点");
  p->set_organisation_id(organisation);
  p->set_active(true);
  jianyan::v1::ReportingPoint out;
  grpc::Status s = admin.PutReportingPoint(admin_ctx.get(), req, &out);
  ASSERT_TRUE(s.ok()) << id << ": " << s.error_message();
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_CORE_CALLS_H_
