#include "services/metrics/grpc_interceptor.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "services/common/call_notes.h"
#include "services/common/log.h"

namespace jianyan::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

const char* TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

// The string field `name` of `message`, "" when it has none.
std::string StringField(const google::protobuf::Message& message,
                        const char* name) {
  const google::protobuf::FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return message.GetReflection()->GetString(message, field);
}

class RpcObserver : public grpc::experimental::Interceptor {
 public:
  RpcObserver(ServerRpcInfo* info, CounterFamily& started,
              CounterFamily& handled, HistogramFamily& seconds)
      : info_(info), handled_(handled) {
    // "/jianyan.v1.IntakeService/SubmitCase"
    const std::string full = info->method() ? info->method() : "";
    const size_t slash = full.rfind('/');
    const std::string service = slash == std::string::npos || slash == 0
                                    ? ""
                                    : full.substr(1, slash - 1);
    const std::string method =
        slash == std::string::npos ? full : full.substr(slash + 1);
    labels_ = {service, method, TypeName(info->type())};
    record_.rpc = full;
    ours_ = absl::StartsWith(service, "jianyan.");
    started_ = &started.Cell(labels_);
    seconds_ = &seconds.Cell(labels_);
  }

  ~RpcObserver() override {
    if (noted_) CloseCallNote(info_->server_context());
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = absl::Now();
      started_->fetch_add(1, std::memory_order_relaxed);
      grpc::ServerContextBase* ctx = info_->server_context();
      if (ctx != nullptr) {
        record_.peer = ctx->peer();
        OpenCallNote(ctx);
        noted_ = true;
      }
    }
    if (ours_ && !read_request_ &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      read_request_ = true;
      // jianyan.v1 services are protobuf services: the message is the
      // method's request type, a google::protobuf::Message.
      const auto* message = static_cast<const google::protobuf::Message*>(
          methods->GetRecvMessage());
      if (message != nullptr) {
        record_.request_id = StringField(*message, "request_id");
        record_.case_number = StringField(*message, "case_number");
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      std::vector<std::string> labels = labels_;
      labels.push_back(GrpcCodeName(status.error_code()));
      handled_.Add(labels);
      seconds_->Observe(seconds);
      record_.code = labels.back();
      record_.latency_ms = seconds * 1000;
      if (noted_) {
        record_.principal_id = CloseCallNote(info_->server_context());
        noted_ = false;
      }
      LogRpc(record_);
    }
    methods->Proceed();
  }

 private:
  ServerRpcInfo* const info_;
  CounterFamily& handled_;
  std::vector<std::string> labels_;  // service, method, type
  std::atomic<uint64_t>* started_ = nullptr;
  AtomicHistogram* seconds_ = nullptr;
  bool ours_ = false;
  bool read_request_ = false;
  bool noted_ = false;
  absl::Time start_ = absl::Now();
  RpcLogRecord record_;
};

}  // namespace

const char* GrpcCodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) {
    return "UNKNOWN";
  }
  return kNames[code];
}

RpcObserverFactory::RpcObserverFactory(Registry& registry)
    : started_(registry.Counter("grpc_server_started_total",
                                "Total number of RPCs started on the server.",
                                {"grpc_service", "grpc_method", "grpc_type"})),
      handled_(registry.Counter(
          "grpc_server_handled_total",
          "Total number of RPCs completed on the server, regardless of "
          "success or failure.",
          {"grpc_service", "grpc_method", "grpc_type", "grpc_code"})),
      seconds_(registry.Histogram(
          "grpc_server_handling_seconds",
          "Histogram of response latency (seconds) of gRPC that had been "
          "application-level handled by the server.",
          {"grpc_service", "grpc_method", "grpc_type"},
          {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10})) {}

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  return new RpcObserver(info, started_, handled_, seconds_);
}

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RpcObservers() {
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      out;
  out.push_back(std::make_unique<RpcObserverFactory>(DefaultRegistry()));
  return out;
}

}  // namespace jianyan::metrics
