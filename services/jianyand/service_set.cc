#include "services/jianyand/service_set.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/admin/admin_service.h"
#include "services/common/server_config.h"
#include "services/feedback/feedback_service.h"
#include "services/intake/derived_query_code.h"
#include "services/intake/intake_service.h"
#include "services/internal/internal_service.h"
#include "services/supervision/supervision_service.h"
#include "services/workflow/workflow_service.h"

namespace jianyan {
namespace {

bool IsCoreService(const std::string& name) {
  return name == "workflow" || name == "admin" || name == "supervision";
}

}  // namespace

bool NeedsCore(const jianyan::v1::ServerConfig& config) {
  for (const std::string& name : config.services()) {
    if (IsCoreService(name)) return true;
  }
  return false;
}

bool HasEdge(const jianyan::v1::ServerConfig& config) {
  for (const std::string& name : config.services()) {
    if (!IsCoreService(name)) return true;
  }
  return false;
}

absl::StatusOr<IntakeOptions> IntakeOptionsFor(
    const jianyan::v1::ServerConfig& config,
    std::shared_ptr<grpc::ChannelInterface> core_channel) {
  IntakeOptions options;
  const auto& names = config.services();
  if (std::find(names.begin(), names.end(), "intake") == names.end()) {
    return options;
  }
  std::string path = config.query_code_secret_file();
  if (path.empty()) {
    if (!config.core_address().empty()) {
      return absl::InvalidArgumentError(
          "query_code_secret_file: required for an intake edge in split "
          "mode (every intake replica must share one key)");
    }
    path = absl::StrCat(config.data_dir(), "/", kQueryCodeSecretFile);
  }
  absl::StatusOr<std::string> secret = LoadOrCreateSecretFile(path);
  if (!secret.ok()) {
    return absl::Status(
        secret.status().code(),
        absl::StrCat("query_code_secret_file: ", secret.status().message()));
  }
  options.query_code_secret = *std::move(secret);
  options.suggestion_organisation_id = config.suggestion_organisation_id();
  options.core_channel = std::move(core_channel);
  return options;
}

absl::StatusOr<std::unique_ptr<ServiceSet>> ServiceSet::Create(
    const jianyan::v1::ServerConfig& config, EmbeddedCore* core, CoreLink* link,
    const IntakeOptions& intake) {
  std::unique_ptr<ServiceSet> set(new ServiceSet());
  set->limits_ =
      std::make_unique<CallLimits>(CallBounds::FromConfig(config.limits()));
  if (core != nullptr) {
    set->gate_ = std::make_unique<CallGate>(
        core->core().auth(), core->core().policy(), set->limits_.get());
  }
  IntakeOptions bounded_intake = intake;
  bounded_intake.limits = set->limits_.get();
  for (const std::string& name : config.services()) {
    if (IsCoreService(name) && core == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "services: '", name, "' needs the workflow core in this process"));
    }
    if (!IsCoreService(name) && link == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "services: '", name, "' needs a link to the workflow core"));
    }
    std::unique_ptr<grpc::Service> service;
    if (name == "intake") {
      service = std::make_unique<IntakeServiceImpl>(link, bounded_intake);
    } else if (name == "feedback") {
      service = std::make_unique<FeedbackServiceImpl>(link, set->limits_.get());
    } else if (name == "workflow") {
      service = std::make_unique<WorkflowServiceImpl>(*set->gate_,
                                                      core->core().cases());
    } else if (name == "supervision") {
      service = std::make_unique<SupervisionServiceImpl>(
          *set->gate_, core->core().supervision(), core->core().stats(),
          core->core().notices());
    } else if (name == "admin") {
      service = std::make_unique<AdminServiceImpl>(
          *set->gate_, core->core().admin(), core->core().worker());
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("services: unknown service '", name, "'"));
    }
    set->Add(ServiceFullName(name), std::move(service));
  }
  // A core tier serves the remote edges; an all-in-one process keeps
  // CoreInternal on its in-process server (core_connection.h).
  if (core != nullptr && !HasEdge(config)) {
    set->Add(jianyan::v1::CoreInternal::service_full_name(),
             std::make_unique<CoreInternalServiceImpl>(
                 *set->gate_, core->core().auth(), core->core().feedback()));
  }
  return set;
}

void ServiceSet::Add(const std::string& full_name,
                     std::unique_ptr<grpc::Service> service) {
  hosted_.push_back({full_name, service.get()});
  owned_.push_back(std::move(service));
}

}  // namespace jianyan
