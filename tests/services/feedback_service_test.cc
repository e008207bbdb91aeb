// FeedbackService through real edges: each replica is its own CoreLink and
// gRPC server in front of one CoreServer (real RocksDB, in-process gRPC),
// all on the core's ManualClock. Also the CoreLink's principal cache.
#include "services/feedback/feedback_service.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/edge/core_link.h"
#include "storage/case_keys.h"
#include "storage/column_families.h"
#include "tests/services/core_reach.h"
#include "tests/services/core_server.h"
#include "workflow/query_code.h"

namespace jianyan::testing {
namespace {

using grpc::StatusCode;
using jianyan::v1::GetPublicStatusRequest;
using jianyan::v1::PublicStatus;
using jianyan::v1::SubmitRatingRequest;
using jianyan::v1::SubmitRatingResponse;

constexpr char kCode[] = "1234-5678";
constexpr char kWrongCode[] = "8765-4321";

// What a generic call returned.
struct RawResult {
  grpc::Status status;
  std::string principal;  // the "principal" trailer, when set
};

// A unary call with a raw body through grpc::GenericStub.
RawResult RawCall(const std::shared_ptr<grpc::Channel>& channel,
                  const std::string& method, const std::string& body,
                  const std::string& authorization = "") {
  grpc::GenericStub generic(channel);
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext ctx;
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  RawResult out;
  generic.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      out.status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  auto it = ctx.GetServerTrailingMetadata().find("principal");
  if (it != ctx.GetServerTrailingMetadata().end()) {
    out.principal = std::string(it->second.data(), it->second.size());
  }
  return out;
}

// Answers every call with CoreLink::Authenticate's verdict on its caller
// (the principal id in the "principal" trailer): the edge's caller check
// without an edge RPC of its own.
class WhoAmI final : public grpc::CallbackGenericService {
 public:
  explicit WhoAmI(CoreLink* link) : link_(*link) {}
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* ctx) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      Reactor(CoreLink& link, grpc::GenericCallbackServerContext* ctx) {
        link.Run([this, &link, ctx] {
          absl::StatusOr<jianyan::v1::Principal> p = link.Authenticate(*ctx);
          if (p.ok()) ctx->AddTrailingMetadata("principal", p->id());
          Finish(p.ok()
                     ? grpc::Status::OK
                     : grpc::Status(static_cast<StatusCode>(p.status().code()),
                                    std::string(p.status().message())));
        });
      }
      void OnDone() override { delete this; }
    };
    return new Reactor(link_, ctx);
  }

 private:
  CoreLink& link_;
};

// One edge replica: a CoreLink to the core (through `local` when given)
// and a server with the FeedbackService (and WhoAmI) over it.
constexpr uint32_t kEdgeBound = 4;

class Edge {
 public:
  Edge(std::shared_ptr<grpc::Channel> core, const std::string& token,
       const Clock& clock, LocalCore* local = nullptr) {
    CoreLink::Options options;
    options.channel = std::move(core);
    options.local = local;
    options.service_token = token;
    options.clock = &clock;
    options.call_timeout = absl::Seconds(5);
    link_ = std::make_unique<CoreLink>(std::move(options));
    service_ = std::make_unique<FeedbackServiceImpl>(link_.get(), &limits_);
    who_ = std::make_unique<WhoAmI>(link_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    builder.RegisterCallbackGenericService(who_.get());
    server_ = builder.BuildAndStart();
    channel_ = server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = jianyan::v1::FeedbackService::NewStub(channel_);
  }
  ~Edge() {
    server_->Shutdown();
    server_->Wait();
  }

  grpc::Status Status(const std::string& number, const std::string& code,
                      PublicStatus* out = nullptr) {
    GetPublicStatusRequest req;
    req.set_case_number(number);
    req.set_query_code(code);
    PublicStatus resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->GetPublicStatus(&ctx, req, &resp);
    if (out != nullptr) *out = resp;
    return s;
  }
  grpc::Status Rate(const SubmitRatingRequest& req,
                    SubmitRatingResponse* out = nullptr) {
    SubmitRatingResponse resp;
    grpc::ClientContext ctx;
    grpc::Status s = stub_->SubmitRating(&ctx, req, &resp);
    if (out != nullptr) *out = resp;
    return s;
  }
  RawResult WhoIs(const std::string& authorization) {
    return RawCall(channel_, "/test.WhoAmI/Call", "", authorization);
  }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Bound: kEdgeBound calls of FeedbackService at once.
  CallLimits& limits() { return limits_; }

 private:
  CallLimits limits_{CallBounds{kEdgeBound, 1}};
  std::unique_ptr<CoreLink> link_;
  std::unique_ptr<FeedbackServiceImpl> service_;
  std::unique_ptr<WhoAmI> who_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<jianyan::v1::FeedbackService::Stub> stub_;
};

SubmitRatingRequest Rating(const std::string& request_id,
                           const std::string& number,
                           jianyan::v1::RatingLevel level,
                           const std::string& code = kCode) {
  SubmitRatingRequest req;
  req.set_request_id(request_id);
  req.set_case_number(number);
  req.set_query_code(code);
  req.set_level(level);
  return req;
}

class FeedbackServiceTest : public ::testing::TestWithParam<CoreReach> {
 protected:
  FeedbackServiceTest() {
    server_.Seed();
    local_ = LocalCoreFor(GetParam(), server_);
    a_ = std::make_unique<Edge>(server_.channel(), server_.token("service"),
                                server_.clock(), local_.get());
    b_ = std::make_unique<Edge>(server_.channel(), server_.token("service"),
                                server_.clock(), local_.get());
  }

  // A petition whose query code is kCode, taken to `state` ("registered",
  // "answered" or "declined").
  std::string Petition(const std::string& id, const std::string& state) {
    absl::BitGen gen;
    auto hash = HashQueryCode(kCode, gen);
    EXPECT_TRUE(hash.ok());
    const std::string no =
        server_.CreatePetition(id, jianyan::v1::PETITION_TYPE_CLAIM, *hash)
            .case_number();
    if (state == "declined") {
      EXPECT_TRUE(server_
                      .Act("registrar", no, "decline",
                           {{"reason_code", "not_petition_matter"}})
                      .ok());
    }
    if (state != "answered") return no;
    auto act = [&](const std::string& who, const std::string& action,
                   std::map<std::string, std::string> fields) {
      server_.clock().Advance(absl::Hours(24));
      grpc::Status s = server_.Act(who, no, action, std::move(fields));
      EXPECT_TRUE(s.ok()) << action << ": " << s.error_message();
    };
    act("registrar", "assign",
        {{"organisation_id", kHousing}, {"deadline_days", "60"}});
    act("handler", "accept", {});
    act("handler", "respond", {{"opinion", "support"}});
    act("handler", "deliver", {{"delivery", "written"}});
    return no;
  }

  std::string State(const std::string& no) {
    jianyan::v1::GetCaseRequest req;
    req.set_case_number(no);
    jianyan::v1::Case c;
    grpc::Status s =
        server_.workflow().GetCase(server_.As("supervisor").get(), req, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c.state();
  }

  void ExpectVerifyClean() {
    auto report = server_.store().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok()) << report->problems.front();
  }

  CoreServer server_;
  std::unique_ptr<LocalCore> local_;  // CoreReach::kLocal only
  std::unique_ptr<Edge> a_;
  std::unique_ptr<Edge> b_;
};

TEST_P(FeedbackServiceTest, StatusCarriesLabelsAndTimesOnly) {
  const std::string no = Petition("create-fb-01", "answered");
  PublicStatus status;
  grpc::Status s = a_->Status(no, kCode, &status);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(status.case_number(), no);
  EXPECT_EQ(status.state(), "answered");
  EXPECT_FALSE(status.state_label().zh().empty());
  EXPECT_TRUE(status.rateable());
  EXPECT_TRUE(status.has_rating_due_time());
  EXPECT_EQ(status.handling_organisation().zh(), "泰山区住房和城乡建设局");
  // register, assign, accept, respond, deliver.
  ASSERT_EQ(status.steps_size(), 5);
  for (const auto& step : status.steps()) {
    EXPECT_FALSE(step.label().zh().empty());
    EXPECT_TRUE(step.has_time());
  }
  // Both forms of the code open it, on either replica.
  EXPECT_TRUE(b_->Status(no, "12345678").ok());
  // No personal data, staff or organisation ids in the answer.
  const std::string bytes = status.SerializeAsString();
  for (const char* secret : {"张三丰", "13812341234", "370902199001011234",
                             "handler-1", "registrar-1", kHousing}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST_P(FeedbackServiceTest, SatisfiedRatingOncePerRoundIdempotent) {
  const std::string no = Petition("create-fb-02", "answered");
  SubmitRatingResponse first;
  SubmitRatingRequest req =
      Rating("rate-0001", no, jianyan::v1::RATING_LEVEL_SATISFIED);
  req.set_comment("处理及时");
  grpc::Status s = a_->Rate(req, &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(first.status().state(), "answered");
  EXPECT_EQ(first.status().rating().level(),
            jianyan::v1::RATING_LEVEL_SATISFIED);
  EXPECT_FALSE(first.status().rateable());
  // A retry through the other replica: the same answer, nothing applied.
  SubmitRatingResponse again;
  s = b_->Rate(req, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.status().rating().level(),
            jianyan::v1::RATING_LEVEL_SATISFIED);
  EXPECT_EQ(again.status().steps_size(), first.status().steps_size());
  // A second rating of the round.
  s = a_->Rate(Rating("rate-0002", no, jianyan::v1::RATING_LEVEL_UNSATISFIED));
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  // The first id reused for another rating.
  s = a_->Rate(Rating("rate-0001", no, jianyan::v1::RATING_LEVEL_UNSATISFIED));
  EXPECT_EQ(s.error_code(), StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);
  EXPECT_EQ(State(no), "answered");
  ExpectVerifyClean();
}

TEST_P(FeedbackServiceTest, UnsatisfiedRoutesAsTheDefinitionSays) {
  const std::string no = Petition("create-fb-03", "answered");
  SubmitRatingResponse out;
  grpc::Status s = a_->Rate(
      Rating("rate-0003", no, jianyan::v1::RATING_LEVEL_UNSATISFIED), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status().state(), "unsatisfied");
  EXPECT_EQ(State(no), "unsatisfied");
  // The review route is open to the petitioner's side (via the service).
  ASSERT_TRUE(
      server_.Act("service", no, "request_review", {{"reason", "事实认定有误"}})
          .ok());
  PublicStatus status;
  ASSERT_TRUE(b_->Status(no, kCode, &status).ok());
  EXPECT_EQ(status.state(), "review");
  EXPECT_TRUE(status.open());
  ExpectVerifyClean();
}

TEST_P(FeedbackServiceTest, UnknownNumberAndWrongCodeAreIndistinguishable) {
  const std::string no = Petition("create-fb-04", "registered");
  grpc::Status wrong = a_->Status(no, kWrongCode);
  // Same shape, another sequence: a number that was never issued.
  const std::string unknown = "P2026-00999999-";
  std::string other;
  for (char c : std::string("0123456789X")) {
    if (b_->Status(unknown + c, kCode).error_code() !=
        StatusCode::INVALID_ARGUMENT) {
      other = unknown + c;
      break;
    }
  }
  ASSERT_FALSE(other.empty());
  grpc::Status missing = a_->Status(other, kCode);
  EXPECT_EQ(wrong.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(wrong.error_message(), missing.error_message());
}

TEST_P(FeedbackServiceTest, LockoutIsSharedByReplicasAndEndsAfter15Minutes) {
  const std::string no = Petition("create-fb-05", "answered");
  // Three wrong codes at one replica, two at the other.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a_->Status(no, kWrongCode).error_code(), StatusCode::NOT_FOUND);
  }
  server_.clock().Advance(absl::Minutes(1));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(b_->Status(no, kWrongCode).error_code(), StatusCode::NOT_FOUND);
  }
  // Locked everywhere, for the right code too, and for ratings.
  for (Edge* edge : {a_.get(), b_.get()}) {
    grpc::Status s = edge->Status(no, kCode);
    EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(s.error_message().find("query_code"), std::string::npos);
  }
  EXPECT_EQ(
      a_->Rate(Rating("rate-0005", no, jianyan::v1::RATING_LEVEL_SATISFIED))
          .error_code(),
      StatusCode::RESOURCE_EXHAUSTED);
  server_.clock().Advance(absl::Minutes(15) - absl::Seconds(1));
  EXPECT_EQ(b_->Status(no, kCode).error_code(), StatusCode::RESOURCE_EXHAUSTED);
  server_.clock().Advance(absl::Seconds(1));
  EXPECT_TRUE(b_->Status(no, kCode).ok());
  EXPECT_TRUE(
      a_->Rate(Rating("rate-0005", no, jianyan::v1::RATING_LEVEL_SATISFIED))
          .ok());
}

TEST_P(FeedbackServiceTest, BruteForceOnAnUnknownNumberLocksToo) {
  const std::string no = Petition("create-fb-06", "registered");
  // Brute force until the lockout: the 6th attempt is refused.
  int refused_at = 0;
  for (int i = 0; i < 10 && refused_at == 0; ++i) {
    const std::string guess = absl::StrCat(10000000 + i);
    grpc::Status s = (i % 2 == 0 ? a_ : b_)->Status(no, guess);
    if (s.error_code() == StatusCode::RESOURCE_EXHAUSTED) refused_at = i + 1;
  }
  EXPECT_EQ(refused_at, 6);
}

TEST_P(FeedbackServiceTest, BadInput) {
  const std::string open = Petition("create-fb-07", "registered");
  const std::string declined = Petition("create-fb-08", "declined");
  const std::string answered = Petition("create-fb-09", "answered");
  const std::string bad_check =
      open.substr(0, open.size() - 1) + (open.back() == '1' ? "2" : "1");
  struct StatusCase {
    std::string number, code;
    StatusCode want;
    std::string field;
  };
  const std::vector<StatusCase> status_cases = {
      {"", kCode, StatusCode::INVALID_ARGUMENT, "case_number"},
      {bad_check, kCode, StatusCode::INVALID_ARGUMENT, "case_number"},
      {"P2026-1234", kCode, StatusCode::INVALID_ARGUMENT, "case_number"},
      {"X2026-00000001-0", kCode, StatusCode::INVALID_ARGUMENT, "case_number"},
      // Invalid UTF-8 in a string field does not parse: gRPC 1.51's callback
      // API answers an unparseable body UNIMPLEMENTED before any handler.
      {"\xff\xfe", kCode, StatusCode::UNIMPLEMENTED, ""},
      {open, "", StatusCode::INVALID_ARGUMENT, "query_code"},
      {open, "1234-567", StatusCode::INVALID_ARGUMENT, "query_code"},
      {open, "abcd-efgh", StatusCode::INVALID_ARGUMENT, "query_code"},
      {open, "１２３４５６７８", StatusCode::INVALID_ARGUMENT, "query_code"},
  };
  for (const StatusCase& c : status_cases) {
    SCOPED_TRACE(c.number + " / " + c.code);
    grpc::Status s = a_->Status(c.number, c.code);
    EXPECT_EQ(s.error_code(), c.want) << s.error_message();
    EXPECT_NE(s.error_message().find(c.field), std::string::npos)
        << s.error_message();
  }
  struct RateCase {
    SubmitRatingRequest request;
    StatusCode want;
    std::string field;
  };
  auto rate = [](const std::string& id, const std::string& no,
                 jianyan::v1::RatingLevel level) {
    return Rating(id, no, level);
  };
  SubmitRatingRequest long_comment =
      rate("rate-bad-01", answered, jianyan::v1::RATING_LEVEL_SATISFIED);
  long_comment.set_comment(std::string(2001, 'x'));
  SubmitRatingRequest bad_utf8 =
      rate("rate-bad-02", answered, jianyan::v1::RATING_LEVEL_SATISFIED);
  bad_utf8.set_comment("\xc3\x28");
  const std::vector<RateCase> rate_cases = {
      {rate("x", answered, jianyan::v1::RATING_LEVEL_SATISFIED),
       StatusCode::INVALID_ARGUMENT, "request_id"},
      {rate("rate-bad-03", answered, jianyan::v1::RATING_LEVEL_UNSPECIFIED),
       StatusCode::INVALID_ARGUMENT, "level"},
      {rate("rate-bad-04", answered, static_cast<jianyan::v1::RatingLevel>(9)),
       StatusCode::INVALID_ARGUMENT, "level"},
      {long_comment, StatusCode::INVALID_ARGUMENT, "comment"},
      {bad_utf8, StatusCode::UNIMPLEMENTED, ""},
      {rate("rate-bad-05", bad_check, jianyan::v1::RATING_LEVEL_SATISFIED),
       StatusCode::INVALID_ARGUMENT, "case_number"},
      // Not rateable yet, and a closed (declined) case.
      {rate("rate-bad-06", open, jianyan::v1::RATING_LEVEL_SATISFIED),
       StatusCode::FAILED_PRECONDITION, ""},
      {rate("rate-bad-07", declined, jianyan::v1::RATING_LEVEL_SATISFIED),
       StatusCode::FAILED_PRECONDITION, ""},
  };
  for (const RateCase& c : rate_cases) {
    SCOPED_TRACE(c.request.request_id());
    grpc::Status s = b_->Rate(c.request);
    EXPECT_EQ(s.error_code(), c.want) << s.error_message();
    EXPECT_NE(s.error_message().find(c.field), std::string::npos)
        << s.error_message();
  }
  // Garbage bytes as the request body, and a message over the size limit.
  for (const char* method : {"/jianyan.v1.FeedbackService/GetPublicStatus",
                             "/jianyan.v1.FeedbackService/SubmitRating"}) {
    RawResult r = RawCall(a_->channel(), method, "\xff\xff\xff\x01garbage");
    EXPECT_EQ(r.status.error_code(), StatusCode::UNIMPLEMENTED) << method;
  }
  GetPublicStatusRequest huge;
  huge.set_case_number(open);
  huge.set_query_code(std::string(5 << 20, '1'));
  RawResult r =
      RawCall(a_->channel(), "/jianyan.v1.FeedbackService/GetPublicStatus",
              huge.SerializeAsString());
  EXPECT_EQ(r.status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  // Nothing was applied: every case is where it was.
  EXPECT_EQ(State(open), "registered");
  EXPECT_EQ(State(declined), "declined");
  EXPECT_EQ(State(answered), "answered");
  ExpectVerifyClean();
}

TEST_P(FeedbackServiceTest, EdgeResolvesCallersAndSeesRevocationWithin5s) {
  const std::string bearer = "Bearer " + server_.token("terminal");
  RawResult who = a_->WhoIs(bearer);
  ASSERT_TRUE(who.status.ok()) << who.status.error_message();
  EXPECT_EQ(who.principal, "terminal-1");
  EXPECT_TRUE(b_->WhoIs(bearer).status.ok());
  // Revoked at the core: the replicas' caches answer on for at most 5 s.
  jianyan::v1::RevokePrincipalRequest revoke;
  revoke.set_request_id("revoke-terminal-1");
  revoke.set_principal_id("terminal-1");
  jianyan::v1::Principal revoked;
  ASSERT_TRUE(server_.admin()
                  .RevokePrincipal(server_.As("admin").get(), revoke, &revoked)
                  .ok());
  server_.clock().Advance(absl::Seconds(4));
  EXPECT_TRUE(a_->WhoIs(bearer).status.ok());
  server_.clock().Advance(absl::Seconds(1));
  for (Edge* edge : {a_.get(), b_.get()}) {
    RawResult after = edge->WhoIs(bearer);
    EXPECT_EQ(after.status.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(after.status.error_message().find(server_.token("terminal")),
              std::string::npos);
  }
  // Missing, malformed and unknown tokens.
  EXPECT_EQ(a_->WhoIs("").status.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(a_->WhoIs("Bearer nope").status.error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(a_->WhoIs("Bearer jy_" + std::string(43, 'A')).status.error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_P(FeedbackServiceTest, OnlyServicesMayCallTheInternalService) {
  auto internal = jianyan::v1::CoreInternal::NewStub(server_.channel());
  for (const char* who : {"terminal", "handler", "supervisor", "admin"}) {
    jianyan::v1::ResolvePrincipalRequest req;
    req.set_token_hash(std::string(32, 'h'));
    jianyan::v1::ResolvePrincipalResponse resp;
    EXPECT_EQ(internal->ResolvePrincipal(server_.As(who).get(), req, &resp)
                  .error_code(),
              StatusCode::PERMISSION_DENIED)
        << who;
  }
  jianyan::v1::ResolvePrincipalRequest bad;
  bad.set_token_hash("short");
  jianyan::v1::ResolvePrincipalResponse resp;
  grpc::Status s =
      internal->ResolvePrincipal(server_.As("service").get(), bad, &resp);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("token_hash"), std::string::npos);
}

TEST_P(FeedbackServiceTest, UnreachableCoreIsUnavailable) {
  auto nowhere =
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  Edge lost(nowhere, server_.token("service"), server_.clock());
  const std::string no = Petition("create-fb-10", "registered");
  EXPECT_EQ(lost.Status(no, kCode).error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(
      lost.WhoIs("Bearer " + server_.token("terminal")).status.error_code(),
      StatusCode::UNAVAILABLE);
  // A revoked service credential at the core is the edge's fault, not the
  // caller's: UNAVAILABLE too.
  Edge forged(server_.channel(), "jy_" + std::string(43, 'B'), server_.clock());
  EXPECT_EQ(forged.Status(no, kCode).error_code(), StatusCode::UNAVAILABLE);
}

TEST_P(FeedbackServiceTest, CallsBeyondTheEdgesBoundAreRefusedAtOnce) {
  const std::string no = Petition("bound-case-1", "registered");
  std::vector<CallSlot> taken;  // the edge's places, all in use
  for (uint32_t i = 0; i < kEdgeBound; ++i) {
    taken.push_back(*a_->limits().Enter("FeedbackService"));
  }
  grpc::Status s = a_->Status(no, kCode);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("FeedbackService"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(a_->Rate(Rating("bound-rating-1", no,
                            jianyan::v1::RATING_LEVEL_SATISFIED))
                .error_code(),
            StatusCode::RESOURCE_EXHAUSTED);
  // The other replica has its own bound; the refusal did not count a
  // wrong attempt or rate anything.
  EXPECT_TRUE(b_->Status(no, kCode).ok());
  taken.pop_back();
  EXPECT_TRUE(a_->Status(no, kCode).ok());
  EXPECT_EQ(a_->limits().Peak("FeedbackService"), kEdgeBound);
  EXPECT_EQ(State(no), "registered");
}

// The steps are read up to the case's last event: one missing from the log
// is the store's fault (DATA_LOSS), not an unknown case (NOT_FOUND).
TEST_P(FeedbackServiceTest, AStatusWithAHoleInItsEventLogIsDataLoss) {
  const std::string no = Petition("create-fb-10", "answered");
  ASSERT_TRUE(server_.store()
                  .raw_db()
                  ->Delete({}, server_.store().handle(storage::Cf::kEvents),
                           storage::EventKey(no, 3))
                  .ok());
  grpc::Status s = a_->Status(no, kCode);
  EXPECT_EQ(s.error_code(), StatusCode::DATA_LOSS) << s.error_message();
  EXPECT_NE(s.error_message().find("event log incomplete"), std::string::npos)
      << s.error_message();
}

INSTANTIATE_TEST_SUITE_P(BothReaches, FeedbackServiceTest,
                         ::testing::Values(CoreReach::kChannel,
                                           CoreReach::kLocal),
                         CoreReachName);

}  // namespace
}  // namespace jianyan::testing
