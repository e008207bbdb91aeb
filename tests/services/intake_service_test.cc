// IntakeService end to end over real gRPC: a CoreServer (real RocksDB, the
// shipped definitions, WorkflowService and AdminService) and the intake
// edge on its own in-process server, linked by a CoreLink with the
// service's token. Every bad input leaves the store as it was: Verify clean
// and no case created.
#include "services/intake/intake_service.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jianyan/v1/internal.grpc.pb.h"
#include "services/edge/core_link.h"
#include "tests/services/core_reach.h"
#include "tests/services/core_server.h"
#include "tests/services/intake_requests.h"
#include "tests/services/raw_call.h"
#include "workflow/case_number.h"
#include "workflow/query_code.h"
#include "workflow/time_util.h"

namespace jianyan {
namespace {

using jianyan::testing::CoreReach;
using jianyan::testing::CoreServer;
using jianyan::v1::SubmitCaseRequest;
using jianyan::v1::SubmitCaseResponse;

using testing::PetitionRequest;
using testing::SuggestionRequest;

constexpr uint32_t kIntakeBound = 3;

class IntakeServiceTest : public ::testing::TestWithParam<CoreReach> {
 protected:
  // The core's own CoreInternal (on the CoreServer) resolves the callers.
  IntakeServiceTest() {
    core_.Seed();
    SeedDirectory();
    CoreLink::Options link;
    link.channel = core_.channel();
    link.service_token = core_.token("service");
    link.clock = &core_.clock();
    local_ = LocalCoreFor(GetParam(), core_);
    link.local = local_.get();
    link_ = std::make_unique<CoreLink>(link);
    IntakeOptions options;
    options.query_code_secret = std::string(32, 'k');
    options.core_channel = core_.channel();
    options.limits = &limits_;
    intake_ = std::make_unique<IntakeServiceImpl>(link_.get(), options);
    grpc::ServerBuilder builder;
    builder.RegisterService(intake_.get());
    server_ = builder.BuildAndStart();
    stub_ = jianyan::v1::IntakeService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~IntakeServiceTest() override {
    server_->Shutdown();
    server_->Wait();
  }

  void Admin(const std::function<grpc::Status(grpc::ClientContext*)>& call) {
    grpc::Status s = call(core_.As("admin").get());
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  void SeedDirectory() {
    for (auto [code, zh, parent] :
         {std::make_tuple("370900", "泰安市", ""),
          std::make_tuple("370902", "泰山区", "370900"),
          std::make_tuple("370911", "岱岳区", "370900")}) {
      jianyan::v1::PutRegionRequest r;
      r.mutable_region()->set_code(code);
      r.mutable_region()->mutable_name()->set_zh(zh);
      r.mutable_region()->set_parent_code(parent);
      r.mutable_region()->set_active(true);
      jianyan::v1::Region out;
      Admin([&](auto* ctx) { return core_.admin().PutRegion(ctx, r, &out); });
    }
    for (auto [name, active] :
         {std::make_pair("城乡建设", true), std::make_pair("劳动社保", true),
          std::make_pair("旧分类", false)}) {
      jianyan::v1::PutCategoryRequest r;
      r.mutable_category()->set_name(name);
      r.mutable_category()->mutable_label()->set_zh(name);
      r.mutable_category()->set_active(active);
      jianyan::v1::Category out;
      Admin([&](auto* ctx) { return core_.admin().PutCategory(ctx, r, &out); });
    }
    const absl::Time now = core_.clock().Now();
    for (auto [id, open, close] :
         {std::make_tuple("cz-open", now - absl::Hours(24),
                          now + absl::Hours(24 * 30)),
          std::make_tuple("cz-future", now + absl::Hours(24 * 10),
                          now + absl::Hours(24 * 40)),
          std::make_tuple("cz-past", now - absl::Hours(24 * 40),
                          now - absl::Hours(24))}) {
      jianyan::v1::PutCampaignRequest r;
      auto* c = r.mutable_campaign();
      c->set_id(id);
      c->mutable_title()->set_zh("专题征集");
      c->set_organisation_id(testing::kCityBureau);
      *c->mutable_open_time() = ToProto(open);
      *c->mutable_close_time() = ToProto(close);
      auto* t = c->add_themes();
      t->set_id("tourism");
      t->mutable_title()->set_zh("文旅");
      jianyan::v1::Campaign out;
      Admin([&](auto* ctx) { return core_.admin().PutCampaign(ctx, r, &out); });
    }
  }

  grpc::Status Submit(const std::string& who, const SubmitCaseRequest& r,
                      SubmitCaseResponse* out) {
    return stub_->SubmitCase(core_.As(who).get(), r, out);
  }

  uint64_t CasesInStore() {
    jianyan::v1::VerifyResponse v;
    grpc::Status s = core_.admin().Verify(core_.As("admin").get(), {}, &v);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(v.ok());
    return v.cases_checked();
  }

  CoreServer core_;
  CallLimits limits_{CallBounds{kIntakeBound, 1}};
  std::unique_ptr<LocalCore> local_;  // CoreReach::kLocal only
  std::unique_ptr<CoreLink> link_;
  std::unique_ptr<IntakeServiceImpl> intake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<jianyan::v1::IntakeService::Stub> stub_;
};

TEST_P(IntakeServiceTest, PetitionAtATerminalGetsAReceiptWithAQueryCode) {
  SubmitCaseResponse out;
  ASSERT_TRUE(Submit("terminal", PetitionRequest("req-petition-1"), &out).ok());
  const auto& receipt = out.receipt();
  EXPECT_EQ(receipt.case_number().substr(0, 5), "P2026");
  EXPECT_TRUE(NormalizeQueryCode(receipt.query_code()).ok());
  EXPECT_EQ(receipt.query_code().size(), 9u);  // "1234-5678"
  EXPECT_EQ(receipt.reporting_point_id(), testing::kPoint);
  EXPECT_EQ(receipt.kind(), jianyan::v1::CASE_KIND_PETITION);
  EXPECT_FALSE(receipt.state().empty());
  // Attribution: the point's organisation registers it; channel defaulted.
  auto stored = core_.store().GetCase(receipt.case_number());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(
      stored->case_().routing_organisation_id(),
      core_.store().GetReportingPoint(testing::kPoint)->organisation_id());
  EXPECT_EQ(stored->case_().channel(), jianyan::v1::CHANNEL_TERMINAL);
  // Only the salted hash is stored, and it matches the code on the receipt.
  EXPECT_TRUE(
      QueryCodeMatches(receipt.query_code(), stored->query_code_hash()));
  EXPECT_EQ(stored->SerializeAsString().find(receipt.query_code().substr(0, 4) +
                                             receipt.query_code().substr(5)),
            std::string::npos);
  // The reprint carries no code.
  jianyan::v1::GetReceiptRequest get;
  get.set_case_number(receipt.case_number());
  jianyan::v1::Receipt again;
  ASSERT_TRUE(stub_->GetReceipt(core_.As("terminal").get(), get, &again).ok());
  EXPECT_EQ(again.case_number(), receipt.case_number());
  EXPECT_TRUE(again.query_code().empty());
}

TEST_P(IntakeServiceTest, CallsBeyondTheBoundAreRefusedAtOnceChangingNothing) {
  std::vector<CallSlot> taken;  // every place in use
  for (uint32_t i = 0; i < kIntakeBound; ++i) {
    taken.push_back(*limits_.Enter("IntakeService"));
  }
  SubmitCaseResponse out;
  grpc::Status s = Submit("terminal", PetitionRequest("req-bound-1"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(s.error_message(),
            "IntakeService: 3 calls in flight (limits.max_inflight_calls = "
            "3); retry with backoff");
  jianyan::v1::GetReceiptRequest receipt;
  receipt.set_case_number("P2026000000012");
  jianyan::v1::Receipt r;
  EXPECT_EQ(
      stub_->GetReceipt(core_.As("terminal").get(), receipt, &r).error_code(),
      grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(CasesInStore(), 0u);
  taken.pop_back();
  ASSERT_TRUE(Submit("terminal", PetitionRequest("req-bound-1"), &out).ok());
  EXPECT_EQ(CasesInStore(), 1u);
  taken.clear();
  EXPECT_EQ(limits_.InFlight("IntakeService"), 0u);
  EXPECT_EQ(limits_.Peak("IntakeService"), kIntakeBound);
}

TEST_P(IntakeServiceTest, ARetriedSubmissionReturnsTheIdenticalReceipt) {
  SubmitCaseResponse first, second;
  ASSERT_TRUE(Submit("terminal", PetitionRequest("req-retry-01"), &first).ok());
  core_.clock().Advance(absl::Minutes(3));
  grpc::Status s = Submit("terminal", PetitionRequest("req-retry-01"), &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(CasesInStore(), 1u);
  // The same request id from another point is another submission.
  SubmitCaseResponse other;
  ASSERT_TRUE(
      Submit("other_terminal", PetitionRequest("req-retry-01"), &other).ok());
  EXPECT_NE(other.receipt().case_number(), first.receipt().case_number());
  EXPECT_NE(other.receipt().query_code(), first.receipt().query_code());
}

TEST_P(IntakeServiceTest, ASuggesterSubmitsInTheOpenCampaign) {
  SubmitCaseResponse out;
  grpc::Status s = Submit("suggester", SuggestionRequest("req-sugg-001"), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto stored = core_.store().GetCase(out.receipt().case_number());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->case_().submitter().suggester_id(), testing::kSuggesterId);
  EXPECT_EQ(stored->case_().routing_organisation_id(), testing::kCityBureau);
  EXPECT_EQ(stored->case_().campaign_id(), "cz-open");
  jianyan::v1::GetReceiptRequest get;
  get.set_case_number(out.receipt().case_number());
  jianyan::v1::Receipt receipt;
  EXPECT_TRUE(
      stub_->GetReceipt(core_.As("suggester").get(), get, &receipt).ok());
  EXPECT_EQ(
      stub_->GetReceipt(core_.As("terminal").get(), get, &receipt).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_P(IntakeServiceTest, ClosedAndNotYetOpenCampaignsAreFailedPreconditions) {
  for (const char* campaign : {"cz-future", "cz-past"}) {
    SCOPED_TRACE(campaign);
    SubmitCaseRequest r = SuggestionRequest(std::string("req-") + campaign);
    r.set_campaign_id(campaign);
    SubmitCaseResponse out;
    grpc::Status s = Submit("suggester", r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(s.error_message().rfind("campaign_id: ", 0), 0u)
        << s.error_message();
  }
  EXPECT_EQ(CasesInStore(), 0u);
}

// Drives petition `no` through review and re-review to 'terminated' (终结,
// bars_resubmission), as the shipped definition's actions do it.
void Terminate(CoreServer& core, const std::string& no) {
  auto act = [&](const std::string& who, const std::string& action,
                 std::map<std::string, std::string> fields) {
    grpc::Status s = core.Act(who, no, action, std::move(fields));
    ASSERT_TRUE(s.ok()) << action << ": " << s.error_message();
  };
  core.AddToken("district_handler",
                core.NewToken("district-handler", jianyan::v1::ROLE_HANDLER,
                              testing::kDistrict));
  act("registrar", "assign",
      {{"organisation_id", testing::kHousing}, {"deadline_days", "60"}});
  act("handler", "accept", {});
  act("handler", "respond", {{"opinion", "not_support"}});
  act("handler", "deliver", {{"delivery", "written"}});
  act("service", "rate", {{"rating", "unsatisfied"}});
  act("service", "request_review", {{"reason", "事实认定有误"}});
  act("district_handler", "answer_review", {{"opinion", "uphold"}});
  act("district_handler", "deliver_review", {{"delivery", "written"}});
  act("service", "request_rereview", {{"reason", "复查意见不当"}});
  act("registrar", "answer_rereview", {{"opinion", "uphold"}});
}

// 重复信访 and 终结: the same identity number raising the same category
// again is flagged while the earlier case is open, refused once it was
// terminated; another category is another matter.
TEST_P(IntakeServiceTest, RepeatsAreFlaggedAndATerminatedMatterIsRefused) {
  SubmitCaseResponse first, repeat;
  ASSERT_TRUE(
      Submit("terminal", PetitionRequest("req-matter-01"), &first).ok());
  const std::string earlier = first.receipt().case_number();
  auto stored = core_.store().GetCase(earlier);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->case_().possible_repeat_of().empty());
  // Full-width digits and a lower-case x: the same person. A request's own
  // possible_repeat_of is not taken.
  SubmitCaseRequest again = PetitionRequest("req-matter-02");
  again.mutable_submitter()->mutable_representatives(0)->set_id_number(
      "１１０１０５１９４９１２３１００２x");
  grpc::Status s = Submit("terminal", again, &repeat);
  ASSERT_TRUE(s.ok()) << s.error_message();
  stored = core_.store().GetCase(repeat.receipt().case_number());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(
      std::vector<std::string>(stored->case_().possible_repeat_of().begin(),
                               stored->case_().possible_repeat_of().end()),
      std::vector<std::string>{earlier});
  // The flag goes with the full submitter: a supervisor in scope sees it,
  // the registrar (the masked view before routing) does not.
  jianyan::v1::GetCaseRequest get;
  get.set_case_number(repeat.receipt().case_number());
  jianyan::v1::Case shown;
  ASSERT_TRUE(
      core_.workflow().GetCase(core_.As("supervisor").get(), get, &shown).ok());
  EXPECT_EQ(shown.possible_repeat_of_size(), 1);
  ASSERT_TRUE(
      core_.workflow().GetCase(core_.As("registrar").get(), get, &shown).ok());
  EXPECT_EQ(shown.possible_repeat_of_size(), 0);

  Terminate(core_, earlier);
  ASSERT_EQ(core_.store().GetCase(earlier)->case_().state(), "terminated");
  const uint64_t cases = CasesInStore();
  SubmitCaseResponse refused;
  s = Submit("terminal", PetitionRequest("req-matter-03"), &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message().rfind(
                "submitter.representatives[0].id_number: the same matter", 0),
            0u)
      << s.error_message();
  EXPECT_NE(s.error_message().find(earlier), std::string::npos)
      << s.error_message();
  EXPECT_EQ(CasesInStore(), cases);  // nothing written, Verify clean
  // A retry of a request accepted before is answered as it was.
  SubmitCaseResponse retried;
  s = Submit("terminal", again, &retried);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retried.receipt().case_number(), repeat.receipt().case_number());
  // Another category is another matter: accepted, nothing to flag.
  SubmitCaseRequest other = PetitionRequest("req-matter-04");
  other.set_category("劳动社保");
  SubmitCaseResponse accepted;
  s = Submit("terminal", other, &accepted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  stored = core_.store().GetCase(accepted.receipt().case_number());
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->case_().possible_repeat_of().empty());
  EXPECT_EQ(CasesInStore(), cases + 1);
}

TEST_P(IntakeServiceTest, AnotherPointsReceiptIsNotFound) {
  SubmitCaseResponse out;
  ASSERT_TRUE(Submit("terminal", PetitionRequest("req-mine-001"), &out).ok());
  jianyan::v1::GetReceiptRequest get;
  get.set_case_number(out.receipt().case_number());
  jianyan::v1::Receipt receipt;
  grpc::Status s =
      stub_->GetReceipt(core_.As("other_terminal").get(), get, &receipt);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // The same answer as for a number that does not exist.
  CaseNumber unknown;
  unknown.kind = jianyan::v1::CASE_KIND_PETITION;
  unknown.year = 2026;
  unknown.sequence = 9999;
  get.set_case_number(*FormatCaseNumber(unknown));
  grpc::Status none =
      stub_->GetReceipt(core_.As("other_terminal").get(), get, &receipt);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_P(IntakeServiceTest, ListCategoriesReturnsTheActiveClosedList) {
  jianyan::v1::ListCategoriesResponse out;
  grpc::Status s = stub_->ListCategories(core_.As("terminal").get(), {}, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::vector<std::string> names;
  for (const auto& c : out.categories()) names.push_back(c.name());
  EXPECT_EQ(names, (std::vector<std::string>{"劳动社保", "城乡建设"}));
  EXPECT_EQ(
      stub_->ListCategories(core_.As("handler").get(), {}, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// The bad-input table: code and the field path at the start of the message.
struct BadRow {
  std::string name;
  std::string who;
  grpc::StatusCode code;
  std::string field;  // "" for auth errors
  std::function<SubmitCaseRequest()> make;
};

std::vector<BadRow> BadRows() {
  using R = SubmitCaseRequest;
  const auto kBad = grpc::StatusCode::INVALID_ARGUMENT;
  auto p = [](std::function<void(R&)> f) {
    return [f] {
      R r = PetitionRequest("req-bad-0001");
      f(r);
      return r;
    };
  };
  auto s = [](std::function<void(R&)> f) {
    return [f] {
      R r = SuggestionRequest("req-bad-0002");
      f(r);
      return r;
    };
  };
  auto rep0 = [](R& r) {
    return r.mutable_submitter()->mutable_representatives(0);
  };
  return {
      {"request id missing", "terminal", kBad, "request_id",
       p([](R& r) { r.clear_request_id(); })},
      {"request id bad characters", "terminal", kBad, "request_id",
       p([](R& r) { r.set_request_id("req id ###"); })},
      {"kind missing", "terminal", kBad, "kind",
       p([](R& r) { r.clear_kind(); })},
      {"kind unknown", "terminal", kBad, "kind",
       p([](R& r) { r.set_kind(static_cast<jianyan::v1::CaseKind>(7)); })},
      {"petition type missing", "terminal", kBad, "petition_type",
       p([](R& r) { r.clear_petition_type(); })},
      {"petition type unknown", "terminal", kBad, "petition_type", p([](R& r) {
         r.set_petition_type(static_cast<jianyan::v1::PetitionType>(99));
       })},
      {"channel unknown", "terminal", kBad, "channel",
       p([](R& r) { r.set_channel(static_cast<jianyan::v1::Channel>(50)); })},
      {"title empty", "terminal", kBad, "title",
       p([](R& r) { r.clear_title(); })},
      {"title too long", "terminal", kBad, "title", p([](R& r) {
         std::string t;
         for (int i = 0; i < 201; ++i) t += "题";
         r.set_title(t);
       })},
      {"address too long", "terminal", kBad,
       "submitter.representatives[0].address",
       p([=](R& r) { rep0(r)->set_address(std::string(501, 'a')); })},
      {"content blank", "terminal", kBad, "content",
       p([](R& r) { r.set_content("\u3000\n"); })},
      {"content too long", "terminal", kBad, "content",
       p([](R& r) { r.set_content(std::string(20001, 'x')); })},
      {"region missing", "terminal", kBad, "region_code",
       p([](R& r) { r.clear_region_code(); })},
      {"region malformed", "terminal", kBad, "region_code",
       p([](R& r) { r.set_region_code("37-902"); })},
      {"region unknown to the deployment", "terminal", kBad, "region_code",
       p([](R& r) { r.set_region_code("110101"); })},
      {"category missing", "terminal", kBad, "category",
       p([](R& r) { r.clear_category(); })},
      {"category not in the list", "terminal", kBad, "category",
       p([](R& r) { r.set_category("不存在的分类"); })},
      {"category inactive", "terminal", kBad, "category",
       p([](R& r) { r.set_category("旧分类"); })},
      {"campaign unknown", "suggester", kBad, "campaign_id",
       s([](R& r) { r.set_campaign_id("cz-none"); })},
      {"theme not in campaign", "suggester", kBad, "theme_id",
       s([](R& r) { r.set_theme_id("housing"); })},
      {"theme without campaign", "terminal", kBad, "theme_id",
       s([](R& r) { r.clear_campaign_id(); })},
      {"campaign closed", "suggester", grpc::StatusCode::FAILED_PRECONDITION,
       "campaign_id", s([](R& r) { r.set_campaign_id("cz-past"); })},
      {"too many attachments", "terminal", kBad, "attachments", p([](R& r) {
         for (int i = 0; i < 21; ++i) {
           auto* a = r.add_attachments();
           a->set_sha256(std::string(64, 'b'));
           a->set_size_bytes(5);
           a->set_media_type("application/pdf");
         }
       })},
      {"attachment sha256", "terminal", kBad, "attachments[0].sha256",
       p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256("abc");
         a->set_size_bytes(5);
         a->set_media_type("application/pdf");
       })},
      {"attachment size", "terminal", kBad, "attachments[0].size_bytes",
       p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(64, 'b'));
         a->set_media_type("application/pdf");
       })},
      {"attachment media type", "terminal", kBad, "attachments[0].media_type",
       p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(64, 'b'));
         a->set_size_bytes(5);
         a->set_media_type("text/html");
       })},
      {"no representative", "terminal", kBad, "submitter.representatives",
       p([](R& r) { r.mutable_submitter()->clear_representatives(); })},
      {"six representatives", "terminal", kBad, "submitter.representatives",
       p([](R& r) {
         for (int i = 0; i < 5; ++i) {
           *r.mutable_submitter()->add_representatives() =
               r.submitter().representatives(0);
         }
       })},
      {"anonymous petition", "terminal", kBad, "submitter.anonymous",
       p([](R& r) { r.mutable_submitter()->set_anonymous(true); })},
      {"suggester id from the request", "suggester", kBad,
       "submitter.suggester_id",
       s([](R& r) { r.mutable_submitter()->set_suggester_id("sg-2"); })},
      {"representative name", "terminal", kBad,
       "submitter.representatives[0].name",
       p([=](R& r) { rep0(r)->clear_name(); })},
      {"representative phone", "terminal", kBad,
       "submitter.representatives[0].phone",
       p([=](R& r) { rep0(r)->set_phone("call me"); })},
      {"id number length", "terminal", kBad,
       "submitter.representatives[0].id_number",
       p([=](R& r) { rep0(r)->set_id_number("3709021990"); })},
      {"id number check character", "terminal", kBad,
       "submitter.representatives[0].id_number",
       p([=](R& r) { rep0(r)->set_id_number("110105194912310021"); })},
      {"second representative id number", "terminal", kBad,
       "submitter.representatives[1].id_number", p([](R& r) {
         auto* q = r.mutable_submitter()->add_representatives();
         q->set_name("李四");
         q->set_phone("13900000000");
         q->set_id_number("11010519491231002Y");
       })},
      {"suggester submits a petition", "suggester",
       grpc::StatusCode::PERMISSION_DENIED, "kind", p([](R&) {})},
      {"handler token", "handler", grpc::StatusCode::PERMISSION_DENIED, "",
       p([](R&) {})},
      {"admin token", "admin", grpc::StatusCode::PERMISSION_DENIED, "",
       p([](R&) {})},
      {"no token", "", grpc::StatusCode::UNAUTHENTICATED, "", p([](R&) {})},
      {"unknown token", "raw:Bearer jy_not-a-real-token-0000000000000000",
       grpc::StatusCode::UNAUTHENTICATED, "", p([](R&) {})},
      {"malformed authorization", "raw:Basic dXNlcjpwYXNz",
       grpc::StatusCode::UNAUTHENTICATED, "", p([](R&) {})},
  };
}

TEST_P(IntakeServiceTest, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  std::vector<BadRow> rows = BadRows();
  ASSERT_GE(rows.size(), 35u);
  for (const BadRow& row : rows) {
    SCOPED_TRACE(row.name);
    SubmitCaseResponse out;
    grpc::Status s = Submit(row.who, row.make(), &out);
    EXPECT_EQ(s.error_code(), row.code) << s.error_message();
    if (!row.field.empty()) {
      EXPECT_EQ(s.error_message().rfind(row.field + ": ", 0), 0u)
          << s.error_message();
    }
    EXPECT_FALSE(out.has_receipt());
  }
  EXPECT_EQ(CasesInStore(), 0u);
}

// Bytes no typed client would send: garbage, and a SubmitCaseRequest whose
// title is not UTF-8. gRPC refuses them before the handler; nothing is
// created.
TEST_P(IntakeServiceTest, GarbageRequestBodiesAreRefusedAndChangeNothing) {
  SubmitCaseRequest bad_title = PetitionRequest("req-rawutf8");
  bad_title.set_title("ok");
  std::string wire = bad_title.SerializeAsString();
  const size_t at = wire.find("ok");
  ASSERT_NE(at, std::string::npos);
  wire[at] = '\xff';
  wire[at + 1] = '\xfe';
  grpc::GenericStub generic(
      server_->InProcessChannel(grpc::ChannelArguments()));
  for (const std::string& body :
       {std::string("\xff\xff\xff\xff\x0f garbage"), wire}) {
    auto ctx = core_.As("terminal");
    grpc::Status status = testing::RawUnaryCall(
        generic, ctx.get(), "/jianyan.v1.IntakeService/SubmitCase", body);
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_EQ(CasesInStore(), 0u);
}

TEST_P(IntakeServiceTest, NoSecretNoReceipt) {
  IntakeOptions options;  // no query-code secret
  options.core_channel = core_.channel();
  IntakeServiceImpl unkeyed(link_.get(), options);
  grpc::ServerBuilder builder;
  builder.RegisterService(&unkeyed);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = jianyan::v1::IntakeService::NewStub(
      server->InProcessChannel(grpc::ChannelArguments()));
  SubmitCaseResponse out;
  grpc::Status s = stub->SubmitCase(core_.As("terminal").get(),
                                    PetitionRequest("req-nosecret"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  server->Shutdown();
  server->Wait();
  EXPECT_EQ(CasesInStore(), 0u);
}

TEST_P(IntakeServiceTest, ARevokedTerminalIsUnauthenticatedWithinTheCacheTtl) {
  jianyan::v1::RevokePrincipalRequest revoke;
  revoke.set_principal_id("terminal-1");
  jianyan::v1::Principal revoked;
  Admin([&](auto* ctx) {
    return core_.admin().RevokePrincipal(ctx, revoke, &revoked);
  });
  core_.clock().Advance(absl::Seconds(6));
  SubmitCaseResponse out;
  EXPECT_EQ(
      Submit("terminal", PetitionRequest("req-revoked1"), &out).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CasesInStore(), 0u);
}

INSTANTIATE_TEST_SUITE_P(BothReaches, IntakeServiceTest,
                         ::testing::Values(CoreReach::kChannel,
                                           CoreReach::kLocal),
                         testing::CoreReachName);

}  // namespace
}  // namespace jianyan
