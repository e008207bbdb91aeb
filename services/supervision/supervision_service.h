// SupervisionServiceImpl: the gRPC face of the escalation console (督办):
// SupervisionOps for the lists and commands, StatsQuery for the rates, the
// NoticeHub for WatchEscalations. Handlers admit the caller, call the
// library and finish; Escalate and Reassign finish from the store's thread
// once durable.
#ifndef JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
#define JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_

#include "jianyan/v1/supervision.grpc.pb.h"
#include "services/common/unary_call.h"
#include "services/core/notice_hub.h"
#include "services/core/stats_query.h"
#include "services/core/supervision_ops.h"

namespace jianyan {

class SupervisionServiceImpl final
    : public jianyan::v1::SupervisionService::CallbackService {
 public:
  SupervisionServiceImpl(const CallGate& gate, SupervisionOps& ops,
                         const StatsQuery& stats, NoticeHub& hub)
      : gate_(gate), ops_(ops), stats_(stats), hub_(hub) {}

  grpc::ServerUnaryReactor* ListOverdue(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ListOverdueRequest* request,
      jianyan::v1::ListDeadlinesResponse* response) override;
  grpc::ServerUnaryReactor* ListDueSoon(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ListDueSoonRequest* request,
      jianyan::v1::ListDeadlinesResponse* response) override;
  grpc::ServerUnaryReactor* Escalate(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::EscalateRequest* request,
      jianyan::v1::EscalateResponse* response) override;
  grpc::ServerUnaryReactor* Reassign(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::ReassignRequest* request,
      jianyan::v1::ReassignResponse* response) override;
  grpc::ServerUnaryReactor* GetStats(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::GetStatsRequest* request,
      jianyan::v1::GetStatsResponse* response) override;
  grpc::ServerWriteReactor<jianyan::v1::EscalationNotice>* WatchEscalations(
      grpc::CallbackServerContext* ctx,
      const jianyan::v1::WatchEscalationsRequest* request) override;

 private:
  const CallGate& gate_;
  SupervisionOps& ops_;
  const StatsQuery& stats_;
  NoticeHub& hub_;
};

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_SUPERVISION_SUPERVISION_SERVICE_H_
