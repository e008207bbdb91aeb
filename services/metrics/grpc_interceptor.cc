#include "services/metrics/grpc_interceptor.h"

#include <atomic>
#include <iterator>
#include <string>
#include <utility>

#include "absl/base/call_once.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status_code_enum.h"
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

// By grpc::StatusCode, OK .. UNAUTHENTICATED.
constexpr const char* kCodeNames[] = {"OK",
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
constexpr int kCodes = static_cast<int>(std::size(kCodeNames));
static_assert(kCodes == grpc::StatusCode::UNAUTHENTICATED + 1);
constexpr size_t kMaxUnknownMethods = 256;
constexpr char kOtherMethods[] = "other";

// The string field named `name` of messages of type `type`; null when it
// has none.
const google::protobuf::FieldDescriptor* StringField(
    const google::protobuf::Descriptor* type, const char* name) {
  const google::protobuf::FieldDescriptor* field = type->FindFieldByName(name);
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
    return nullptr;
  }
  return field;
}

}  // namespace

// What every call of one method shares, looked up by its first call: the
// labels, the cells, and where the log line's request fields are.
struct RpcObserverFactory::Method {
  std::vector<std::string> labels;  // service, method, type
  bool ours = false;                // a known jianyan.* method
  std::atomic<uint64_t>* started = nullptr;
  AtomicHistogram* seconds = nullptr;
  // grpc_server_handled_total's cell for each status code, from its first
  // use on.
  std::atomic<std::atomic<uint64_t>*> handled[kCodes] = {};
  // The request's request_id and case_number fields (null: none), known
  // once a call has read a request: every call of a method has one type.
  absl::once_flag fields_once;
  const google::protobuf::FieldDescriptor* request_id = nullptr;
  const google::protobuf::FieldDescriptor* case_number = nullptr;
};

namespace {

class RpcObserver : public grpc::experimental::Interceptor {
 public:
  RpcObserver(ServerRpcInfo* info, RpcObserverFactory::Method& method,
              CounterFamily& handled)
      : info_(info), method_(method), handled_(handled) {}

  ~RpcObserver() override {
    if (noted_) CloseCallNote(info_->server_context());
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = absl::Now();
      method_.started->fetch_add(1, std::memory_order_relaxed);
      grpc::ServerContextBase* ctx = info_->server_context();
      if (ctx != nullptr) {
        record_.peer = ctx->peer();
        OpenCallNote(ctx);
        noted_ = true;
      }
    }
    if (method_.ours && !read_request_ &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      read_request_ = true;
      // jianyan.v1 services are protobuf services: the message is the
      // method's request type, a google::protobuf::Message.
      const auto* message = static_cast<const google::protobuf::Message*>(
          methods->GetRecvMessage());
      if (message != nullptr) ReadRequestFields(*message);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int code = methods->GetSendStatus().error_code();
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
      Handled(code).fetch_add(1, std::memory_order_relaxed);
      method_.seconds->Observe(seconds);
      record_.rpc = info_->method() ? info_->method() : "";
      record_.code = GrpcCodeName(code);
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
  void ReadRequestFields(const google::protobuf::Message& message) {
    RpcObserverFactory::Method& m = method_;
    absl::call_once(m.fields_once, [&m, &message] {
      m.request_id = StringField(message.GetDescriptor(), "request_id");
      m.case_number = StringField(message.GetDescriptor(), "case_number");
    });
    // Every call of a method has the same request type; the check keeps a
    // mistake there from reading through another type's fields.
    const google::protobuf::Reflection* r = message.GetReflection();
    for (auto [field, out] : {std::pair{m.request_id, &record_.request_id},
                              std::pair{m.case_number, &record_.case_number}}) {
      if (field != nullptr &&
          field->containing_type() == message.GetDescriptor()) {
        *out = r->GetString(message, field);
      }
    }
  }

  // The handled cell of (this method, `code`).
  std::atomic<uint64_t>& Handled(int code) {
    if (code < 0 || code >= kCodes) code = grpc::StatusCode::UNKNOWN;
    std::atomic<uint64_t>* cell =
        method_.handled[code].load(std::memory_order_acquire);
    if (cell == nullptr) {
      std::vector<std::string> labels = method_.labels;
      labels.push_back(GrpcCodeName(code));
      cell = &handled_.Cell(labels);  // the same cell for every racer
      method_.handled[code].store(cell, std::memory_order_release);
    }
    return *cell;
  }

  ServerRpcInfo* const info_;
  RpcObserverFactory::Method& method_;
  CounterFamily& handled_;
  bool read_request_ = false;
  bool noted_ = false;
  absl::Time start_ = absl::Now();
  RpcLogRecord record_;
};

}  // namespace

const char* GrpcCodeName(int code) {
  if (code < 0 || code >= kCodes) return kCodeNames[grpc::StatusCode::UNKNOWN];
  return kCodeNames[code];
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

RpcObserverFactory::~RpcObserverFactory() = default;

RpcObserverFactory::Method& RpcObserverFactory::MethodOf(
    const ServerRpcInfo& info) {
  // "/jianyan.v1.IntakeService/SubmitCase"
  absl::string_view full = info.method() ? info.method() : "";
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = methods_.find(full);
    if (it != methods_.end()) return *it->second;
  }
  const size_t slash = full.rfind('/');
  absl::string_view service = slash == absl::string_view::npos || slash == 0
                                  ? absl::string_view()
                                  : full.substr(1, slash - 1);
  absl::string_view method =
      slash == absl::string_view::npos ? full : full.substr(slash + 1);
  // A method of a protobuf service compiled into this binary: the set is
  // fixed. Any other path is the caller's to choose: such paths get entries
  // of their own up to a bound, then share one, so memory stays bounded
  // whatever paths callers send.
  const bool known =
      !service.empty() &&
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(service, ".", method)) != nullptr;
  absl::MutexLock lock(&mu_);
  if (!known && !methods_.contains(full)) {
    if (unknown_methods_ >= kMaxUnknownMethods) {
      full = method = kOtherMethods;
      service = absl::string_view();
    } else {
      ++unknown_methods_;
    }
  }
  auto [it, fresh] = methods_.try_emplace(full, nullptr);
  if (fresh) {
    auto m = std::make_unique<Method>();
    m->labels = {std::string(service), std::string(method),
                 TypeName(info.type())};
    // Only a known jianyan.* method's messages are read (as protobufs).
    m->ours = known && absl::StartsWith(service, "jianyan.");
    m->started = &started_.Cell(m->labels);
    m->seconds = &seconds_.Cell(m->labels);
    it->second = std::move(m);
  }
  return *it->second;
}

grpc::experimental::Interceptor* RpcObserverFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  return new RpcObserver(info, MethodOf(*info), handled_);
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
