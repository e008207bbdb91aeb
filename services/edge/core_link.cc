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

namespace {

// A LocalCore completion that fills `response` and reports the mapped
// status, as the gRPC call's completion would.
template <typename Response>
Done<Response> Fill(Response* response, CoreDone done) {
  return [response, done = std::move(done)](absl::StatusOr<Response> result) {
    if (result.ok()) *response = *std::move(result);
    done(CoreLink::FromCore(result.status()));
  };
}

// One of the hot calls: `by_function(LocalCore&, Done<Response>)` when the
// core is local, else `by_channel(grpc::ClientContext*, gRPC completion)`
// with a context that lives until the completion has run.
template <typename Response, typename ByFunction, typename ByChannel>
void Reach(const CoreLink& link, LocalCore* local,
           const grpc::ServerContextBase* inbound, Response* response,
           CoreDone done, ByFunction by_function, ByChannel by_channel) {
  if (local != nullptr) {
    by_function(*local, Fill(response, std::move(done)));
    return;
  }
  std::shared_ptr<grpc::ClientContext> call = link.NewCall(inbound);
  grpc::ClientContext* raw = call.get();
  by_channel(raw,
             [call = std::move(call), done = std::move(done)](
                 grpc::Status status) { done(CoreLink::FromCore(status)); });
}

}  // namespace

void CoreLink::CreateCase(const grpc::ServerContextBase* inbound,
                          const jianyan::v1::CreateCaseRequest* request,
                          jianyan::v1::CreateCaseResponse* response,
                          CoreDone done) {
  Reach(
      *this, options_.local, inbound, response, std::move(done),
      [&](LocalCore& local, auto filled) {
        local.CreateCase(*request, absl::FromChrono(Deadline(inbound)),
                         std::move(filled));
      },
      [&](grpc::ClientContext* call, auto mapped) {
        workflow_->async()->CreateCase(call, request, response,
                                       std::move(mapped));
      });
}

void CoreLink::GetPublicStatus(
    const grpc::ServerContextBase* inbound,
    const jianyan::v1::GetPublicStatusRequest* request,
    jianyan::v1::PublicStatus* response, CoreDone done) {
  Reach(
      *this, options_.local, inbound, response, std::move(done),
      [&](LocalCore& local, auto filled) {
        filled(local.GetPublicStatus(*request));
      },
      [&](grpc::ClientContext* call, auto mapped) {
        internal_->async()->GetPublicStatus(call, request, response,
                                            std::move(mapped));
      });
}

void CoreLink::SubmitPublicRating(
    const grpc::ServerContextBase* inbound,
    const jianyan::v1::SubmitRatingRequest* request,
    jianyan::v1::SubmitRatingResponse* response, CoreDone done) {
  Reach(
      *this, options_.local, inbound, response, std::move(done),
      [&](LocalCore& local, auto filled) {
        local.SubmitPublicRating(*request, absl::FromChrono(Deadline(inbound)),
                                 std::move(filled));
      },
      [&](grpc::ClientContext* call, auto mapped) {
        internal_->async()->SubmitPublicRating(call, request, response,
                                               std::move(mapped));
      });
}

absl::Status CoreLink::FromCore(const grpc::Status& status) {
  return FromCore(
      absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message()));
}

absl::Status CoreLink::FromCore(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kUnknown:
      return absl::UnavailableError("workflow core unavailable");
    default:
      return status;
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

std::chrono::system_clock::time_point CoreLink::Deadline(
    const grpc::ServerContextBase* inbound) const {
  auto deadline = std::chrono::system_clock::now() +
                  absl::ToChronoMilliseconds(options_.call_timeout);
  if (inbound != nullptr && inbound->deadline() < deadline) {
    deadline = inbound->deadline();
  }
  return deadline;
}

std::unique_ptr<grpc::ClientContext> CoreLink::NewCall(
    const grpc::ServerContextBase* inbound) const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->AddMetadata("authorization",
                    absl::StrCat("Bearer ", options_.service_token));
  call->set_deadline(Deadline(inbound));
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
