// From the intake edge to the feedback edge on one all-in-one jianyand
// (127.0.0.1 port 0): a petition submitted at a reporting-point terminal
// and a campaign suggestion from an invited suggester, each handled over
// WorkflowService by the roles its default definition names
// (workflow/definitions/), then followed and rated by the receipt's case
// number and query code. States are the definitions' own names.
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/edge_clients.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/services/intake_requests.h"

namespace jianyan::testing {
namespace {

using jianyan::v1::PublicStatus;
using jianyan::v1::Receipt;
using jianyan::v1::SubmitRatingResponse;

class IntakeEndToEndTest : public JianyandFixture {
 protected:
  void SetUp() override {
    JianyandFixture::SetUp();
    server_ = StartServer({}, &address_);
    ASSERT_NE(server_, nullptr);
    core_ = std::make_unique<CoreClient>(address_);
    feedback_ = std::make_unique<FeedbackClient>(address_);
    core_->Seed(AdminToken());
  }
  void TearDown() override {
    core_.reset();
    feedback_.reset();
    if (server_ != nullptr) StopServer(*server_);
    JianyandFixture::TearDown();
  }

  // The receipt SubmitCase at the intake edge gives `who`.
  Receipt SubmitAs(const std::string& who,
                   const jianyan::v1::SubmitCaseRequest& request) {
    jianyan::v1::SubmitCaseResponse out;
    grpc::Status s = Submit(address_, core_->token(who), request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.receipt();
  }

  // The public status of the receipt's case by its number and query code
  // (empty when the call failed, which the test records).
  PublicStatus StatusOf(const Receipt& receipt) {
    PublicStatus status;
    grpc::Status s =
        feedback_->Status(receipt.case_number(), &status, receipt.query_code());
    EXPECT_TRUE(s.ok()) << s.error_message();
    return status;
  }

  // `action` by `who` on the receipt's case; the state after it, which the
  // feedback edge must show too.
  std::string Act(const std::string& who, const Receipt& receipt,
                  const std::string& action,
                  const std::map<std::string, std::string>& fields) {
    const std::string state =
        core_->Act(who, receipt.case_number(), action, fields);
    EXPECT_EQ(StatusOf(receipt).state(), state) << action;
    return state;
  }

  // A rating of the receipt's case at the feedback edge with its code.
  SubmitRatingResponse Rate(const Receipt& receipt,
                            jianyan::v1::RatingLevel level) {
    SubmitRatingResponse rated;
    grpc::Status s = feedback_->Rate(
        absl::StrCat("rate-", receipt.case_number()), receipt.case_number(),
        level, &rated, receipt.query_code());
    EXPECT_TRUE(s.ok()) << s.error_message();
    return rated;
  }

  std::string address_;
  std::unique_ptr<Subprocess> server_;
  std::unique_ptr<CoreClient> core_;
  std::unique_ptr<FeedbackClient> feedback_;
};

// Forwarded by the city bureau, accepted, answered and delivered by the
// housing bureau, then rated satisfied: the rating closes nothing more
// (petition.textproto: the review window runs on), so the case stays in
// "answered", a closed state, no longer rateable.
TEST_F(IntakeEndToEndTest, TerminalPetitionToASatisfiedRating) {
  const jianyan::v1::SubmitCaseRequest request =
      PetitionRequest("e2e-petition-1");
  const Receipt receipt = SubmitAs("terminal", request);
  ASSERT_FALSE(receipt.case_number().empty());
  EXPECT_EQ(receipt.kind(), jianyan::v1::CASE_KIND_PETITION);
  EXPECT_EQ(receipt.state(), "registered");
  EXPECT_EQ(receipt.reporting_point_id(), kPoint);
  EXPECT_EQ(receipt.query_code().size(), 9u);  // 1234-5678
  // The terminal's retry (same request id) gets the identical receipt.
  EXPECT_EQ(SubmitAs("terminal", request).SerializeAsString(),
            receipt.SerializeAsString());

  PublicStatus status = StatusOf(receipt);
  EXPECT_EQ(status.state(), "registered");
  EXPECT_TRUE(status.open());
  EXPECT_FALSE(status.rateable());
  // Another code (kCode, not the receipt's) finds nothing.
  EXPECT_EQ(
      feedback_->Status(receipt.case_number(), nullptr, kCode).error_code(),
      grpc::StatusCode::NOT_FOUND);

  EXPECT_EQ(
      Act("registrar", receipt, "forward",
          {{"organisation_id", kHousing}, {"notice_delivery", "written"}}),
      "forwarded");
  EXPECT_EQ(StatusOf(receipt).handling_organisation().zh(),
            "泰山区住房和城乡建设局");
  EXPECT_EQ(Act("handler", receipt, "accept", {{"notice_delivery", "written"}}),
            "handling");
  EXPECT_EQ(Act("handler", receipt, "respond", {{"opinion", "support"}}),
            "responded");
  EXPECT_EQ(Act("handler", receipt, "deliver", {{"delivery", "written"}}),
            "answered");
  status = StatusOf(receipt);
  EXPECT_FALSE(status.open());
  EXPECT_TRUE(status.rateable());
  EXPECT_EQ(status.response_summary(), "support");

  const SubmitRatingResponse rated =
      Rate(receipt, jianyan::v1::RATING_LEVEL_SATISFIED);
  EXPECT_EQ(rated.status().state(), "answered");
  EXPECT_FALSE(rated.status().rateable());
  status = StatusOf(receipt);
  EXPECT_EQ(status.state(), "answered");
  EXPECT_FALSE(status.open());
  EXPECT_FALSE(status.rateable());
  EXPECT_EQ(status.rating().level(), jianyan::v1::RATING_LEVEL_SATISFIED);
}

// Assigned and answered, rated unsatisfied ("unsatisfied"); the petitioner
// asks for a review at the reporting point's terminal, and the case goes
// up to the city bureau, the housing bureau's parent ("review").
TEST_F(IntakeEndToEndTest, TerminalPetitionUnsatisfiedThenReview) {
  const Receipt receipt =
      SubmitAs("terminal", PetitionRequest("e2e-petition-2"));
  ASSERT_FALSE(receipt.case_number().empty());
  core_->Answer(receipt.case_number());
  EXPECT_EQ(StatusOf(receipt).state(), "answered");

  const SubmitRatingResponse rated =
      Rate(receipt, jianyan::v1::RATING_LEVEL_UNSATISFIED);
  EXPECT_EQ(rated.status().state(), "unsatisfied");
  EXPECT_EQ(rated.status().rating().level(),
            jianyan::v1::RATING_LEVEL_UNSATISFIED);
  EXPECT_EQ(
      Act("terminal", receipt, "request_review", {{"reason", "处理意见不服"}}),
      "review");
  const PublicStatus status = StatusOf(receipt);
  EXPECT_TRUE(status.open());
  EXPECT_FALSE(status.rateable());
  EXPECT_EQ(status.handling_organisation().zh(), "泰安市信访局");
}

// A suggestion in the open campaign, from an invited suggester whose id
// comes from its token: screened valid and assigned for study by the
// sponsoring city bureau, adopted and fed back by the housing bureau, then
// rated by the suggester with the receipt's code ("closed").
TEST_F(IntakeEndToEndTest, InvitedSuggestionAdoptedAndRated) {
  core_->SeedCampaign(AdminToken());
  const Receipt receipt =
      SubmitAs("suggester", SuggestionRequest("e2e-suggestion-1"));
  ASSERT_FALSE(receipt.case_number().empty());
  EXPECT_EQ(receipt.kind(), jianyan::v1::CASE_KIND_SUGGESTION);
  EXPECT_EQ(receipt.state(), "received");
  EXPECT_EQ(receipt.query_code().size(), 9u);
  // The suggester's scope is its own suggestions: it reads this one.
  const jianyan::v1::Case stored =
      core_->Get("suggester", receipt.case_number());
  EXPECT_EQ(stored.campaign_id(), kCampaign);
  EXPECT_EQ(stored.theme_id(), kTheme);
  EXPECT_EQ(stored.routing_organisation_id(), kCity);
  EXPECT_EQ(StatusOf(receipt).state(), "received");

  EXPECT_EQ(Act("registrar", receipt, "screen", {{"verdict", "valid"}}),
            "screened");
  EXPECT_EQ(
      Act("registrar", receipt, "assign", {{"organisation_id", kHousing}}),
      "studying");
  // The handling body sees the suggester's id, taken from its token (the
  // request named none).
  EXPECT_EQ(
      core_->Get("handler", receipt.case_number()).submitter().suggester_id(),
      kSuggester);
  EXPECT_EQ(Act("handler", receipt, "conclude",
                {{"outcome", "adopted"}, {"reason", "纳入旺季分时预约方案"}}),
            "concluded");
  EXPECT_EQ(StatusOf(receipt).response_summary(), "adopted");
  EXPECT_EQ(Act("handler", receipt, "give_feedback",
                {{"feedback", "您的建议已被采纳，感谢参与。"}}),
            "feedback_given");
  EXPECT_TRUE(StatusOf(receipt).rateable());

  const SubmitRatingResponse rated =
      Rate(receipt, jianyan::v1::RATING_LEVEL_SATISFIED);
  EXPECT_EQ(rated.status().state(), "closed");
  EXPECT_FALSE(rated.status().open());
  EXPECT_FALSE(rated.status().rateable());
  EXPECT_EQ(StatusOf(receipt).rating().level(),
            jianyan::v1::RATING_LEVEL_SATISFIED);
}

}  // namespace
}  // namespace jianyan::testing
