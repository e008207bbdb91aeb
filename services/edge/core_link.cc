#include "services/edge/core_link.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/core/token.h"

namespace jianyan {
namespace {

using jianyan::v1::Principal;

// Bound on cached principals; past it the cache starts over (a guard: only
// tokens the core resolved are cached, and principals number thousands).
constexpr size_t kMaxCached = 100000;

}  // namespace

CoreLink::CoreLink(Options options)
    : options_(std::move(options)),
      workflow_(jianyan::v1::WorkflowService::NewStub(options_.channel)),
      internal_(jianyan::v1::CoreInternal::NewStub(options_.channel)),
      pool_(options_.workers, "jy-edge") {}

absl::Status CoreLink::FromCore(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::UNKNOWN:
      return absl::UnavailableError("workflow core unavailable");
    default:
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          status.error_message());
  }
}

std::optional<absl::StatusOr<Principal>> CoreLink::AuthenticateCached(
    const grpc::ServerContextBase& inbound, std::string* hash) {
  const auto& metadata = inbound.client_metadata();
  auto it = metadata.find("authorization");
  absl::string_view value;
  if (it != metadata.end()) {
    value = absl::string_view(it->second.data(), it->second.size());
  }
  absl::StatusOr<std::string> token = ParseBearer(value);
  if (!token.ok()) return absl::StatusOr<Principal>(token.status());
  std::string hashed = HashToken(*token);
  absl::MutexLock lock(&mu_);
  auto cached = by_hash_.find(hashed);
  if (cached != by_hash_.end()) {
    if (options_.clock->Now() < cached->second.expiry) {
      return absl::StatusOr<Principal>(cached->second.principal);
    }
    by_hash_.erase(cached);
  }
  if (hash != nullptr) *hash = std::move(hashed);
  return std::nullopt;
}

absl::StatusOr<Principal> CoreLink::Authenticate(
    const grpc::ServerContextBase& inbound) {
  std::string hash;
  std::optional<absl::StatusOr<Principal>> known =
      AuthenticateCached(inbound, &hash);
  if (known.has_value()) return *std::move(known);
  // The expiry counts from before the question: an answer never outlives
  // principal_ttl from the moment the core could last have changed it.
  const absl::Time asked = options_.clock->Now();
  jianyan::v1::ResolvePrincipalRequest request;
  request.set_token_hash(hash);
  jianyan::v1::ResolvePrincipalResponse response;
  std::unique_ptr<grpc::ClientContext> call = NewCall(&inbound);
  grpc::Status status =
      internal_->ResolvePrincipal(call.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return absl::UnauthenticatedError("unknown or revoked bearer token");
  }
  if (!status.ok()) return FromCore(status);
  if (response.principal().revoked()) {
    return absl::UnauthenticatedError("unknown or revoked bearer token");
  }
  absl::MutexLock lock(&mu_);
  if (by_hash_.size() >= kMaxCached) by_hash_.clear();
  by_hash_[hash] = Cached{response.principal(), asked + options_.principal_ttl};
  return response.principal();
}

std::unique_ptr<grpc::ClientContext> CoreLink::NewCall(
    const grpc::ServerContextBase* inbound) const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->AddMetadata("authorization",
                    absl::StrCat("Bearer ", options_.service_token));
  auto deadline = std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(options_.call_timeout);
  if (inbound != nullptr && inbound->deadline() < deadline) {
    deadline = inbound->deadline();
  }
  call->set_deadline(deadline);
  return call;
}

jianyan::v1::WorkflowService::StubInterface& CoreLink::workflow() {
  return *workflow_;
}

jianyan::v1::CoreInternal::StubInterface& CoreLink::internal() {
  return *internal_;
}

void CoreLink::Run(std::function<void()> fn) { pool_.Run(std::move(fn)); }

}  // namespace jianyan
