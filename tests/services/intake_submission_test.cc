// The intake edge's pure checks: every rule of SubmitCaseRequest with the
// field path in the message, and the normalisation applied to what passes.
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/intake/id_number.h"
#include "services/intake/submission.h"
#include "services/intake/text_normalise.h"
#include "tests/services/intake_requests.h"

namespace jianyan {
namespace {

using jianyan::v1::SubmitCaseRequest;

using testing::kValidIdNumber;

SubmitCaseRequest Petition() { return testing::PetitionRequest("req-0001"); }
SubmitCaseRequest Suggestion() {
  return testing::SuggestionRequest("req-0002");
}

struct Row {
  std::string name;
  std::string field;  // the message must start with "<field>: "
  std::function<SubmitCaseRequest()> make;
};

SubmitCaseRequest With(SubmitCaseRequest r,
                       const std::function<void(SubmitCaseRequest&)>& f) {
  f(r);
  return r;
}

std::vector<Row> Rows() {
  using R = SubmitCaseRequest;
  auto p = [](std::function<void(R&)> f) {
    return [f] { return With(Petition(), f); };
  };
  auto s = [](std::function<void(R&)> f) {
    return [f] { return With(Suggestion(), f); };
  };
  auto rep = [](R& r) {
    return r.mutable_submitter()->mutable_representatives(0);
  };
  return {
      {"request id missing", "request_id",
       p([](R& r) { r.clear_request_id(); })},
      {"request id short", "request_id",
       p([](R& r) { r.set_request_id("abc"); })},
      {"request id bad char", "request_id",
       p([](R& r) { r.set_request_id("req 0001!"); })},
      {"kind missing", "kind", p([](R& r) { r.clear_kind(); })},
      {"kind unknown", "kind",
       p([](R& r) { r.set_kind(static_cast<jianyan::v1::CaseKind>(9)); })},
      {"petition type missing", "petition_type",
       p([](R& r) { r.clear_petition_type(); })},
      {"petition type unknown", "petition_type", p([](R& r) {
         r.set_petition_type(static_cast<jianyan::v1::PetitionType>(42));
       })},
      {"suggestion with petition type", "petition_type", s([](R& r) {
         r.set_petition_type(jianyan::v1::PETITION_TYPE_OPINION);
       })},
      {"channel unknown", "channel",
       p([](R& r) { r.set_channel(static_cast<jianyan::v1::Channel>(77)); })},
      {"title empty", "title", p([](R& r) { r.set_title(""); })},
      {"title only spaces and controls", "title",
       p([](R& r) { r.set_title(" \x01\x7f\u3000 "); })},
      {"title 201 characters", "title", p([](R& r) {
         std::string t;
         for (int i = 0; i < 201; ++i) t += "字";
         r.set_title(t);
       })},
      {"title invalid utf-8", "title", p([](R& r) { r.set_title("ab\xff"); })},
      {"content empty", "content", p([](R& r) { r.set_content("\n\t "); })},
      {"content 20001 characters", "content",
       p([](R& r) { r.set_content(std::string(20001, 'a')); })},
      {"content invalid utf-8", "content",
       p([](R& r) { r.set_content("\xc3\x28"); })},
      {"region missing", "region_code", p([](R& r) { r.clear_region_code(); })},
      {"region not 6 digits", "region_code",
       p([](R& r) { r.set_region_code("37090"); })},
      {"region letters", "region_code",
       p([](R& r) { r.set_region_code("37090a"); })},
      {"category missing for petition", "category",
       p([](R& r) { r.clear_category(); })},
      {"category too long", "category",
       p([](R& r) { r.set_category(std::string(101, 'c')); })},
      {"campaign id malformed", "campaign_id",
       s([](R& r) { r.set_campaign_id("Bad Id"); })},
      {"theme id malformed", "theme_id", s([](R& r) { r.set_theme_id("T!"); })},
      {"theme without campaign", "theme_id",
       s([](R& r) { r.clear_campaign_id(); })},
      {"petition in a campaign", "campaign_id",
       p([](R& r) { r.set_campaign_id("cz-2026"); })},
      {"21 attachments", "attachments", p([](R& r) {
         for (int i = 0; i < 21; ++i) {
           auto* a = r.add_attachments();
           a->set_sha256(std::string(64, 'a'));
           a->set_size_bytes(1);
           a->set_media_type("image/jpeg");
         }
       })},
      {"attachment sha256 short", "attachments[0].sha256", p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(63, 'a'));
         a->set_size_bytes(1);
         a->set_media_type("image/jpeg");
       })},
      {"attachment sha256 not hex", "attachments[0].sha256", p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(64, 'g'));
         a->set_size_bytes(1);
         a->set_media_type("image/jpeg");
       })},
      {"attachment size zero", "attachments[0].size_bytes", p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(64, 'a'));
         a->set_media_type("image/jpeg");
       })},
      {"attachment media type", "attachments[0].media_type", p([](R& r) {
         auto* a = r.add_attachments();
         a->set_sha256(std::string(64, 'a'));
         a->set_size_bytes(10);
         a->set_media_type("application/x-msdownload");
       })},
      {"petition without representative", "submitter.representatives",
       p([](R& r) { r.mutable_submitter()->clear_representatives(); })},
      {"six representatives", "submitter.representatives", p([](R& r) {
         for (int i = 0; i < 5; ++i) {
           *r.mutable_submitter()->add_representatives() =
               r.submitter().representatives(0);
         }
       })},
      {"anonymous petition", "submitter.anonymous",
       p([](R& r) { r.mutable_submitter()->set_anonymous(true); })},
      {"anonymous suggestion naming someone", "submitter.representatives",
       s([](R& r) {
         r.mutable_submitter()->set_anonymous(true);
         auto* p = r.mutable_submitter()->add_representatives();
         p->set_name("李四");
         p->set_phone("13900000000");
       })},
      {"suggester id in request", "submitter.suggester_id",
       s([](R& r) { r.mutable_submitter()->set_suggester_id("sg-1"); })},
      {"group size below representatives", "submitter.group_size", p([](R& r) {
         *r.mutable_submitter()->add_representatives() =
             r.submitter().representatives(0);
         *r.mutable_submitter()->add_representatives() =
             r.submitter().representatives(0);
         r.mutable_submitter()->set_group_size(2);
       })},
      {"representative name missing", "submitter.representatives[0].name",
       p([&](R& r) { rep(r)->set_name(" "); })},
      {"representative phone missing", "submitter.representatives[0].phone",
       p([&](R& r) { rep(r)->clear_phone(); })},
      {"representative phone letters", "submitter.representatives[0].phone",
       p([&](R& r) { rep(r)->set_phone("138-abc-0000"); })},
      {"representative phone too short", "submitter.representatives[0].phone",
       p([&](R& r) { rep(r)->set_phone("110"); })},
      {"id number 17 characters", "submitter.representatives[0].id_number",
       p([&](R& r) { rep(r)->set_id_number("11010519491231002"); })},
      {"id number check character", "submitter.representatives[0].id_number",
       p([&](R& r) { rep(r)->set_id_number("110105194912310021"); })},
      {"id number bad birth date", "submitter.representatives[0].id_number",
       p([&](R& r) { rep(r)->set_id_number("110105194913310023"); })},
      {"id number letter inside", "submitter.representatives[0].id_number",
       p([&](R& r) { rep(r)->set_id_number("1101051949A231002X"); })},
      {"second representative's id", "submitter.representatives[1].id_number",
       p([](R& r) {
         auto* q = r.mutable_submitter()->add_representatives();
         q->set_name("王五");
         q->set_phone("13700000000");
         q->set_id_number("11010519491231002Y");
       })},
      {"address too long", "submitter.representatives[0].address",
       p([&](R& r) { rep(r)->set_address(std::string(501, 'x')); })},
  };
}

TEST(IntakeSubmissionTest, EveryBadInputNamesItsField) {
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.name);
    absl::StatusOr<jianyan::v1::Case> c = NormaliseSubmission(row.make());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().message().substr(0, row.field.size() + 2),
              row.field + ": ")
        << c.status().message();
  }
}

TEST(IntakeSubmissionTest, TheBaseRequestsPass) {
  EXPECT_TRUE(NormaliseSubmission(Petition()).ok());
  EXPECT_TRUE(NormaliseSubmission(Suggestion()).ok());
  SubmitCaseRequest anonymous = Suggestion();
  anonymous.mutable_submitter()->set_anonymous(true);
  EXPECT_TRUE(NormaliseSubmission(anonymous).ok());
}

TEST(IntakeSubmissionTest, NormalisesTextPhonesAndIdNumbers) {
  SubmitCaseRequest r = Petition();
  // "e" + combining acute accent → U+00E9; controls dropped; CRLF → LF;
  // ideographic spaces trimmed.
  r.set_title("\u3000 Cafe\u0301\x07 供暖 \u3000");
  r.set_content("第一行\r\n第二行\t尾\x1b");
  auto* p = r.mutable_submitter()->mutable_representatives(0);
  p->set_phone("１３８ ０００ ００００");
  p->set_id_number(" １１０１０５１９４９１２３１００２ｘ ");
  r.set_channel(jianyan::v1::CHANNEL_UNSPECIFIED);
  r.set_petition_type(jianyan::v1::PETITION_TYPE_ACCUSATION);
  auto* a = r.add_attachments();
  a->set_sha256(std::string(64, 'A'));
  a->set_size_bytes(2048);
  a->set_media_type("Image/JPEG");
  absl::StatusOr<jianyan::v1::Case> c = NormaliseSubmission(r);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->title(), "Caf\u00e9 供暖");
  EXPECT_EQ(c->content(), "第一行\n第二行\t尾");
  EXPECT_EQ(c->submitter().representatives(0).phone(), "138 000 0000");
  EXPECT_EQ(c->submitter().representatives(0).id_number(), kValidIdNumber);
  EXPECT_EQ(c->channel(), jianyan::v1::CHANNEL_TERMINAL);
  EXPECT_TRUE(c->confidential());
  EXPECT_EQ(c->attachments(0).sha256(), std::string(64, 'a'));
  EXPECT_EQ(c->attachments(0).media_type(), "image/jpeg");
}

TEST(IntakeSubmissionTest, LengthsCountCodePointsAfterNormalisation) {
  SubmitCaseRequest r = Petition();
  std::string title;
  for (int i = 0; i < 200; ++i) title += "字";  // 600 bytes, 200 characters
  r.set_title("  " + title + "\x01  ");
  absl::StatusOr<jianyan::v1::Case> c = NormaliseSubmission(r);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(CodePoints(c->title()), 200u);
  // 200 decomposed characters compose to 200 code points, not 400.
  std::string decomposed;
  for (int i = 0; i < 200; ++i) decomposed += "e\u0301";
  r.set_title(decomposed);
  EXPECT_TRUE(NormaliseSubmission(r).ok());
}

TEST(IdNumberTest, ChecksTheGb11643CheckCharacter) {
  EXPECT_EQ(*NormaliseIdNumber("11010519491231002x", "id"), kValidIdNumber);
  // Every single-digit change of a valid number is caught.
  std::string valid = kValidIdNumber;
  for (size_t i = 0; i < 17; ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[i]) continue;
      std::string changed = valid;
      changed[i] = d;
      absl::StatusOr<std::string> r = NormaliseIdNumber(changed, "id");
      EXPECT_FALSE(r.ok()) << changed;
    }
  }
}

}  // namespace
}  // namespace jianyan
