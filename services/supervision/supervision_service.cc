#include "services/supervision/supervision_service.h"

#include "services/supervision/watch_reactor.h"

namespace jianyan {

using jianyan::v1::Principal;

grpc::ServerUnaryReactor* SupervisionServiceImpl::ListOverdue(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ListOverdueRequest* request,
    jianyan::v1::ListDeadlinesResponse* response) {
  return Answer(
      ctx, gate_, "SupervisionService.ListOverdue", response,
      [&](const Principal& p) { return ops_.ListOverdue(p, *request); });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::ListDueSoon(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ListDueSoonRequest* request,
    jianyan::v1::ListDeadlinesResponse* response) {
  return Answer(
      ctx, gate_, "SupervisionService.ListDueSoon", response,
      [&](const Principal& p) { return ops_.ListDueSoon(p, *request); });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::Escalate(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::EscalateRequest* request,
    jianyan::v1::EscalateResponse* response) {
  return AnswerLater(ctx, gate_, "SupervisionService.Escalate", response,
                     [&](const Principal& p, auto done) {
                       ops_.Escalate(p, *request, std::move(done),
                                     CallDeadline(*ctx));
                     });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::Reassign(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::ReassignRequest* request,
    jianyan::v1::ReassignResponse* response) {
  return AnswerLater(ctx, gate_, "SupervisionService.Reassign", response,
                     [&](const Principal& p, auto done) {
                       ops_.Reassign(p, *request, std::move(done),
                                     CallDeadline(*ctx));
                     });
}

grpc::ServerUnaryReactor* SupervisionServiceImpl::GetStats(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::GetStatsRequest* request,
    jianyan::v1::GetStatsResponse* response) {
  return Answer(
      ctx, gate_, "SupervisionService.GetStats", response,
      [&](const Principal& p) { return stats_.Run(ActorOf(p), *request); });
}

grpc::ServerWriteReactor<jianyan::v1::EscalationNotice>*
SupervisionServiceImpl::WatchEscalations(
    grpc::CallbackServerContext* ctx,
    const jianyan::v1::WatchEscalationsRequest* request) {
  absl::StatusOr<CallSlot> slot = gate_.EnterWatch();
  absl::StatusOr<PrincipalPtr> caller =
      slot.ok() ? gate_.Admit(ctx, "SupervisionService.WatchEscalations")
                : absl::StatusOr<PrincipalPtr>(slot.status());
  absl::StatusOr<NoticeFilter> filter =
      caller.ok() ? ops_.WatchFilter(**caller, *request)
                  : absl::StatusOr<NoticeFilter>(caller.status());
  if (!filter.ok()) {
    // A stream that ends at once, with the reason.
    class Refused final
        : public grpc::ServerWriteReactor<jianyan::v1::EscalationNotice> {
     public:
      explicit Refused(const absl::Status& s) { Finish(ToGrpcStatus(s)); }
      void OnDone() override { delete this; }
    };
    return new Refused(filter.status());
  }
  return WatchReactor::Start(hub_, *std::move(filter), request->after_cursor(),
                             *std::move(slot));
}

}  // namespace jianyan
