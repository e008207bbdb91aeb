#include "tests/bench/load/load_driver.h"

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "jianyan/v1/supervision.grpc.pb.h"
#include "jianyan/v1/workflow_service.grpc.pb.h"

namespace jianyan::bench {
namespace {

constexpr const char* kScenarioNames[] = {"submit", "lifecycle", "status",
                                          "console", "mixed"};

// Lifecycle steps after the submission, by the handler.
constexpr const char* kHandlerSteps[] = {"accept", "respond", "deliver"};

// gRPC's and abseil's canonical codes are the same numbers and names.
std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

int CodeIndex(grpc::StatusCode code) {
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? i : static_cast<int>(grpc::StatusCode::UNKNOWN);
}

}  // namespace

absl::StatusOr<Scenario> ParseScenario(absl::string_view name) {
  for (size_t i = 0; i < std::size(kScenarioNames); ++i) {
    if (name == kScenarioNames[i]) return static_cast<Scenario>(i);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--scenario: '", name,
      "' is not one of submit, lifecycle, status, console, mixed"));
}

const char* ScenarioName(Scenario scenario) {
  return kScenarioNames[static_cast<size_t>(scenario)];
}

absl::StatusOr<Tokens> ReadTokenFile(const std::string& path,
                                     const std::string& handler_name) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("--token-file: cannot read ", path));
  }
  std::map<std::string, std::string> by_name;
  std::vector<std::string> bare;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || l[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(l, '\t');
    if (parts.size() == 3) {
      by_name[parts[0]] = parts[2];
    } else {
      bare.emplace_back(l);
    }
  }
  Tokens t;
  if (by_name.empty() && bare.size() == 1) {
    t.terminal = t.handler = t.supervisor = bare[0];
    return t;
  }
  for (auto [name, out] :
       {std::pair<std::string, std::string*>{"terminal", &t.terminal},
        {handler_name, &t.handler},
        {"supervisor", &t.supervisor}}) {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--token-file: ", path, " has no token named '", name, "'"));
    }
    *out = it->second;
  }
  return t;
}

struct LoadRun::Stubs {
  explicit Stubs(const std::shared_ptr<grpc::Channel>& channel)
      : intake(jianyan::v1::IntakeService::NewStub(channel)),
        feedback(jianyan::v1::FeedbackService::NewStub(channel)),
        workflow(jianyan::v1::WorkflowService::NewStub(channel)),
        supervision(jianyan::v1::SupervisionService::NewStub(channel)) {}
  std::unique_ptr<jianyan::v1::IntakeService::Stub> intake;
  std::unique_ptr<jianyan::v1::FeedbackService::Stub> feedback;
  std::unique_ptr<jianyan::v1::WorkflowService::Stub> workflow;
  std::unique_ptr<jianyan::v1::SupervisionService::Stub> supervision;
};

// One outstanding call at a time; the next starts from the last one's
// completion (on a gRPC callback thread).
class LoadRun::Worker {
 public:
  Worker(LoadRun& run, int index)
      : run_(run),
        maker_(run.options_.directory, absl::StrCat(run.options_.tag, index),
               run.options_.seed * 7919 + static_cast<uint64_t>(index)) {}

  void Next() {
    if (!run_.Admit()) return run_.WorkerFinished();
    switch (run_.options_.scenario) {
      case Scenario::kSubmit:
        return Submit(false);
      case Scenario::kLifecycle:
        return LifecycleStep();
      case Scenario::kStatus:
        return ReadStatus();
      case Scenario::kConsole:
        return Console();
      case Scenario::kMixed: {
        const uint64_t r = maker_.rng()() % 10;
        if (r < 8) return ReadStatus();
        return r == 8 ? Submit(false) : LifecycleStep();
      }
    }
  }

 private:
  using Callback = std::function<void(grpc::Status)>;

  grpc::ClientContext* Begin(const std::string& token) {
    ctx_ = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) {
      ctx_->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    }
    ctx_->set_deadline(
        absl::ToChronoTime(absl::Now() + run_.options_.call_timeout));
    started_ = std::chrono::steady_clock::now();
    return ctx_.get();
  }
  // Records the call; true when it succeeded.
  bool End(const grpc::Status& s) {
    run_.Record(absl::FromChrono(std::chrono::steady_clock::now() - started_),
                CodeIndex(s.error_code()));
    return s.ok();
  }

  void Submit(bool lifecycle) {
    submit_ = lifecycle ? maker_.Petition() : maker_.Submission();
    run_.stubs_->intake->async()->SubmitCase(
        Begin(run_.options_.tokens.terminal), &submit_, &submitted_,
        [this, lifecycle](grpc::Status s) {
          if (End(s) && lifecycle) {
            number_ = submitted_.receipt().case_number();
            code_ = submitted_.receipt().query_code();
            version_ = 1;  // the registration
            step_ = 1;
          }
          Next();
        });
  }

  void LifecycleStep() {
    if (step_ == 0) return Submit(true);
    if (step_ <= static_cast<int>(std::size(kHandlerSteps))) {
      act_ = maker_.Act(number_, version_, kHandlerSteps[step_ - 1]);
      act_.set_view(run_.options_.act_view);
      run_.stubs_->workflow->async()->Act(
          Begin(run_.options_.tokens.handler), &act_, &acted_,
          [this](grpc::Status s) {
            if (End(s)) {
              version_ = acted_.case_().version();
              ++step_;
            } else {
              step_ = 0;  // start over with a new case
            }
            Next();
          });
      return;
    }
    rate_ = maker_.Rating(number_, code_);
    run_.stubs_->feedback->async()->SubmitRating(Begin(""), &rate_, &rated_,
                                                 [this](grpc::Status s) {
                                                   End(s);
                                                   step_ = 0;
                                                   Next();
                                                 });
  }

  void ReadStatus() {
    const auto& [number, code] = run_.ReadTarget(maker_.rng()());
    status_.set_case_number(number);
    status_.set_query_code(code);
    run_.stubs_->feedback->async()->GetPublicStatus(
        Begin(""), &status_, &public_status_, [this](grpc::Status s) {
          End(s);
          Next();
        });
  }

  void Console() {
    const std::string& token = run_.options_.tokens.supervisor;
    auto done = [this](grpc::Status s) {
      End(s);
      Next();
    };
    switch (turn_++ % 3) {
      case 0:
        overdue_ = maker_.Overdue();
        return run_.stubs_->supervision->async()->ListOverdue(
            Begin(token), &overdue_, &deadlines_, done);
      case 1:
        stats_ = maker_.Stats();
        return run_.stubs_->supervision->async()->GetStats(
            Begin(token), &stats_, &stats_out_, done);
      default:
        list_ = maker_.Cases();
        return run_.stubs_->workflow->async()->ListCases(Begin(token), &list_,
                                                         &listed_, done);
    }
  }

  LoadRun& run_;
  RequestMaker maker_;
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::chrono::steady_clock::time_point started_;
  // The messages of the call in flight.
  jianyan::v1::SubmitCaseRequest submit_;
  jianyan::v1::SubmitCaseResponse submitted_;
  jianyan::v1::ActRequest act_;
  jianyan::v1::ActResponse acted_;
  jianyan::v1::SubmitRatingRequest rate_;
  jianyan::v1::SubmitRatingResponse rated_;
  jianyan::v1::GetPublicStatusRequest status_;
  jianyan::v1::PublicStatus public_status_;
  jianyan::v1::ListOverdueRequest overdue_;
  jianyan::v1::ListDeadlinesResponse deadlines_;
  jianyan::v1::GetStatsRequest stats_;
  jianyan::v1::GetStatsResponse stats_out_;
  jianyan::v1::ListCasesRequest list_;
  jianyan::v1::ListCasesResponse listed_;
  // The lifecycle in progress: step 0 submits a new case.
  std::string number_;
  std::string code_;
  uint64_t version_ = 0;
  int step_ = 0;
  int turn_ = 0;  // console: which list next
};

LoadRun::LoadRun(std::shared_ptr<grpc::Channel> channel, LoadOptions options)
    : options_(std::move(options)), stubs_(std::make_unique<Stubs>(channel)) {}

LoadRun::~LoadRun() = default;

absl::Status LoadRun::Prepare() {
  if (options_.scenario != Scenario::kStatus &&
      options_.scenario != Scenario::kMixed) {
    return absl::OkStatus();
  }
  constexpr int kThreads = 8;
  std::vector<std::vector<std::pair<std::string, std::string>>> found(kThreads);
  std::vector<grpc::Status> failed(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RequestMaker maker(options_.directory, absl::StrCat(options_.tag, "p", t),
                         options_.seed * 104729 + static_cast<uint64_t>(t));
      for (int i = t; i < options_.status_cases && failed[t].ok();
           i += kThreads) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization",
                        absl::StrCat("Bearer ", options_.tokens.terminal));
        ctx.set_deadline(
            absl::ToChronoTime(absl::Now() + options_.call_timeout));
        jianyan::v1::SubmitCaseRequest req = maker.Submission();
        jianyan::v1::SubmitCaseResponse resp;
        failed[t] = stubs_->intake->SubmitCase(&ctx, req, &resp);
        if (failed[t].ok()) {
          found[t].emplace_back(resp.receipt().case_number(),
                                resp.receipt().query_code());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    if (!failed[t].ok()) {
      return absl::UnavailableError(
          absl::StrCat("preparing the cases to read: SubmitCase: ",
                       CodeName(CodeIndex(failed[t].error_code())), ": ",
                       failed[t].error_message()));
    }
    for (auto& f : found[t]) read_targets_.push_back(std::move(f));
  }
  if (read_targets_.empty()) {
    return absl::InvalidArgumentError("--status_cases: must be at least 1");
  }
  return absl::OkStatus();
}

const std::pair<std::string, std::string>& LoadRun::ReadTarget(
    uint64_t random) const {
  return read_targets_[random % read_targets_.size()];
}

bool LoadRun::Admit() {
  if (options_.count > 0) {
    return issued_.fetch_add(1, std::memory_order_relaxed) <
           static_cast<uint64_t>(options_.count);
  }
  return absl::Now() < end_;
}

void LoadRun::Record(absl::Duration latency, int code) {
  latency_.Record(static_cast<uint64_t>(absl::ToInt64Microseconds(latency)));
  by_code_[static_cast<size_t>(code)].fetch_add(1, std::memory_order_relaxed);
  if (code == 0) ok_.fetch_add(1, std::memory_order_relaxed);
  const int64_t at = absl::ToInt64Microseconds(absl::Now() - start());
  int64_t seen = finished_at_micros_.load(std::memory_order_relaxed);
  while (at > seen && !finished_at_micros_.compare_exchange_weak(
                          seen, at, std::memory_order_relaxed)) {
  }
}

void LoadRun::WorkerFinished() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--running_ == 0) all_done_.notify_all();
}

LoadSnapshot LoadRun::Run() {
  const absl::Time now = absl::Now();
  start_micros_.store(absl::ToUnixMicros(now), std::memory_order_release);
  if (options_.count == 0) end_ = now + options_.duration;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = options_.outstanding;
  }
  for (int i = 0; i < options_.outstanding; ++i) {
    workers_.push_back(std::make_unique<Worker>(*this, i));
  }
  for (auto& w : workers_) w->Next();
  std::unique_lock<std::mutex> lock(mu_);
  all_done_.wait(lock, [this] { return running_ == 0; });
  lock.unlock();
  LoadSnapshot out = Snapshot();
  out.seconds = static_cast<double>(finished_at_micros_.load()) / 1e6;
  return out;
}

LoadSnapshot LoadRun::Snapshot() const {
  LoadSnapshot s;
  s.seconds = start_micros_.load(std::memory_order_acquire) == 0
                  ? 0
                  : absl::ToDoubleSeconds(absl::Now() - start());
  s.calls = latency_.count();
  s.ok = ok_.load(std::memory_order_relaxed);
  for (size_t i = 1; i < by_code_.size(); ++i) {
    const uint64_t n = by_code_[i].load(std::memory_order_relaxed);
    if (n > 0) s.errors[CodeName(static_cast<int>(i))] = n;
  }
  s.p50_ms = latency_.QuantileMicros(0.5) / 1000;
  s.p99_ms = latency_.QuantileMicros(0.99) / 1000;
  s.p999_ms = latency_.QuantileMicros(0.999) / 1000;
  s.max_ms = static_cast<double>(latency_.max_micros()) / 1000;
  return s;
}

}  // namespace jianyan::bench
