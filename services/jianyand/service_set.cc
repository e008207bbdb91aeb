#include "services/jianyand/service_set.h"

#include "absl/strings/str_cat.h"
#include "services/admin/admin_service.h"
#include "services/common/server_config.h"
#include "services/feedback/feedback_service.h"
#include "services/intake/intake_service.h"
#include "services/supervision/supervision_service.h"
#include "services/workflow/workflow_service.h"

namespace jianyan {
namespace {

std::unique_ptr<grpc::Service> MakeService(const std::string& name) {
  if (name == "intake") return std::make_unique<IntakeServiceImpl>();
  if (name == "feedback") return std::make_unique<FeedbackServiceImpl>();
  if (name == "workflow") return std::make_unique<WorkflowServiceImpl>();
  if (name == "supervision") return std::make_unique<SupervisionServiceImpl>();
  if (name == "admin") return std::make_unique<AdminServiceImpl>();
  return nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceSet>> ServiceSet::Create(
    const jianyan::v1::ServerConfig& config) {
  std::unique_ptr<ServiceSet> set(new ServiceSet());
  for (const std::string& name : config.services()) {
    std::unique_ptr<grpc::Service> service = MakeService(name);
    if (service == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("services: unknown service '", name, "'"));
    }
    set->Add(ServiceFullName(name), std::move(service));
  }
  return set;
}

void ServiceSet::Add(const std::string& full_name,
                     std::unique_ptr<grpc::Service> service) {
  hosted_.push_back({full_name, service.get()});
  owned_.push_back(std::move(service));
}

}  // namespace jianyan
