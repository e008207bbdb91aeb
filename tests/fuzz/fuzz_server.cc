// Fuzz target: the whole server's request decoding. A core server (store
// in a temporary directory, seeded directory and principals) on an
// in-process channel; each input picks an RPC (first byte) and a caller's
// token (second byte), and the rest is sent as the raw request body. No
// input may crash the server or go unanswered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "grpcpp/generic/generic_stub.h"
#include "tests/services/core_server.h"
#include "tests/services/raw_call.h"

namespace {

constexpr const char* kMethods[] = {
    "/jianyan.v1.WorkflowService/CreateCase",
    "/jianyan.v1.WorkflowService/GetCase",
    "/jianyan.v1.WorkflowService/ListCases",
    "/jianyan.v1.WorkflowService/GetHistory",
    "/jianyan.v1.WorkflowService/ListActions",
    "/jianyan.v1.WorkflowService/Act",
    "/jianyan.v1.SupervisionService/ListOverdue",
    "/jianyan.v1.SupervisionService/ListDueSoon",
    "/jianyan.v1.SupervisionService/Escalate",
    "/jianyan.v1.SupervisionService/Reassign",
    "/jianyan.v1.SupervisionService/GetStats",
    "/jianyan.v1.AdminService/PutOrganisation",
    "/jianyan.v1.AdminService/ListOrganisations",
    "/jianyan.v1.AdminService/PutReportingPoint",
    "/jianyan.v1.AdminService/PutSuggester",
    "/jianyan.v1.AdminService/PutCampaign",
    "/jianyan.v1.AdminService/PutCategory",
    "/jianyan.v1.AdminService/PutRegion",
    "/jianyan.v1.AdminService/CreatePrincipal",
    "/jianyan.v1.AdminService/RevokePrincipal",
    "/jianyan.v1.AdminService/ListPrincipals",
    "/jianyan.v1.AdminService/PutWorkflowDefinition",
    "/jianyan.v1.AdminService/GetWorkflowDefinition",
    "/jianyan.v1.AdminService/PutCalendarYear",
    "/jianyan.v1.CoreInternal/ResolvePrincipal",
    "/jianyan.v1.CoreInternal/GetPublicStatus",
    "/jianyan.v1.CoreInternal/SubmitPublicRating",
};

constexpr const char* kCallers[] = {"",          "terminal", "suggester",
                                    "registrar", "handler",  "supervisor",
                                    "admin",     "service"};

struct Server {
  jianyan::testing::CoreServer core;
  std::unique_ptr<grpc::GenericStub> stub;
  Server() {
    core.Seed();
    core.CreatePetition("fuzz-seed-petition");
    stub = std::make_unique<grpc::GenericStub>(core.channel());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Server* server = new Server;
  if (size < 2) return 0;
  const char* method = kMethods[data[0] % std::size(kMethods)];
  const char* caller = kCallers[data[1] % std::size(kCallers)];
  const std::string body(reinterpret_cast<const char*>(data + 2), size - 2);
  auto ctx = server->core.As(caller);
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(30));
  grpc::Status s =
      jianyan::testing::RawUnaryCall(*server->stub, ctx.get(), method, body);
  // Every input is answered (decoding failures too), never left hanging.
  if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) std::abort();
  return 0;
}
