// The reporting point's and the petitioner's commands: case submit,
// receipt, status, rate.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "jianyan/v1/intake.grpc.pb.h"
#include "services/cli/app.h"
#include "services/cli/case_commands.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"
#include "services/cli/message_file.h"
#include "services/cli/views.h"

namespace jianyan::cli {
namespace {

using jianyan::v1::SubmitCaseRequest;

struct SubmitFlags {
  std::string from_file, request_id, kind, type, channel, region, title,
      content, category, campaign, theme, name, id_number, phone, address;
  uint32_t group_size = 0;
  bool anonymous = false;
};

SubmitCaseRequest BuildSubmit(const SubmitFlags& f) {
  SubmitCaseRequest r;
  if (!f.from_file.empty()) ReadMessageFile(f.from_file, "--from-file", &r);
  auto set = [](const std::string& flag, auto setter) {
    if (!flag.empty()) setter(flag);
  };
  set(f.request_id, [&](const std::string& v) { r.set_request_id(v); });
  if (r.request_id().empty()) r.set_request_id(NewRequestId());
  if (!f.kind.empty()) {
    r.set_kind(static_cast<jianyan::v1::CaseKind>(
        EnumOrUsage(jianyan::v1::CaseKind_descriptor(), f.kind, "--kind")));
  }
  if (r.kind() == jianyan::v1::CASE_KIND_UNSPECIFIED) {
    r.set_kind(jianyan::v1::CASE_KIND_PETITION);
  }
  if (!f.type.empty()) {
    r.set_petition_type(static_cast<jianyan::v1::PetitionType>(
        EnumOrUsage(jianyan::v1::PetitionType_descriptor(), f.type, "--type")));
  }
  if (!f.channel.empty()) {
    r.set_channel(static_cast<jianyan::v1::Channel>(EnumOrUsage(
        jianyan::v1::Channel_descriptor(), f.channel, "--channel")));
  }
  set(f.region, [&](const std::string& v) { r.set_region_code(v); });
  set(f.title, [&](const std::string& v) { r.set_title(v); });
  set(f.content, [&](const std::string& v) { r.set_content(v); });
  set(f.category, [&](const std::string& v) { r.set_category(v); });
  set(f.campaign, [&](const std::string& v) { r.set_campaign_id(v); });
  set(f.theme, [&](const std::string& v) { r.set_theme_id(v); });
  auto* submitter = r.mutable_submitter();
  if (!(f.name + f.id_number + f.phone + f.address).empty() &&
      submitter->representatives_size() == 0) {
    submitter->add_representatives();
  }
  auto person = [&] { return submitter->mutable_representatives(0); };
  set(f.name, [&](const std::string& v) { person()->set_name(v); });
  set(f.id_number, [&](const std::string& v) { person()->set_id_number(v); });
  set(f.phone, [&](const std::string& v) { person()->set_phone(v); });
  set(f.address, [&](const std::string& v) { person()->set_address(v); });
  if (f.group_size > 0) submitter->set_group_size(f.group_size);
  if (f.anonymous) submitter->set_anonymous(true);
  if (submitter->ByteSizeLong() == 0) r.clear_submitter();
  return r;
}

void AddSubmit(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<SubmitFlags>();
  CLI::App* c = parent.add_subcommand(
      "submit", "register a petition or suggestion at a reporting point");
  c->add_option("--from-file", f->from_file,
                "SubmitCaseRequest as JSON or textproto; flags override it");
  c->add_option("--request-id", f->request_id,
                "idempotency id (8..64 of [A-Za-z0-9_-]); default: random");
  c->add_option("--kind", f->kind, "petition (default) or suggestion");
  c->add_option("--type", f->type, "petition type: opinion|accusation|claim");
  c->add_option("--channel", f->channel,
                "visit|letter|phone|online|terminal (default terminal)");
  c->add_option("--region", f->region, "6-digit region code, e.g. 370902");
  c->add_option("--title", f->title, "title, 1..200 characters");
  c->add_option("--content", f->content, "content, 1..20000 characters");
  c->add_option("--category", f->category, "category, e.g. 城乡建设");
  c->add_option("--campaign", f->campaign, "campaign id (专题征集)");
  c->add_option("--theme", f->theme, "theme id within the campaign");
  c->add_option("--name", f->name, "the petitioner's name");
  c->add_option("--id-number", f->id_number, "resident identity number");
  c->add_option("--phone", f->phone, "the petitioner's phone");
  c->add_option("--address", f->address, "the petitioner's address");
  c->add_option("--group-size", f->group_size, "people in a group petition");
  c->add_flag("--anonymous", f->anonymous, "anonymous suggestion");
  SetExample(c,
             "jianyan --as terminal --token-file data/demo-tokens.txt case "
             "submit --type claim \\\n    --region 370902 --category 城乡建设 "
             "--title 小区供暖不热 --content 室温长期偏低。\\\n    --name 张三 "
             "--phone 13800000000 --id-number 11010519491231002X");
  c->callback([f, &ctx] {
    const SubmitCaseRequest request = BuildSubmit(*f);
    jianyan::v1::SubmitCaseResponse response;
    ctx.Check(ctx.Stub<jianyan::v1::IntakeService>()->SubmitCase(
                  ctx.Call().get(), request, &response),
              "case submit");
    ShowReceipt(ctx.out(), response.receipt(), /*first=*/true);
  });
}

void AddReceipt(CLI::App& parent, CliContext& ctx) {
  auto number = std::make_shared<std::string>();
  CLI::App* c = parent.add_subcommand(
      "receipt", "reprint the receipt of a case this point submitted");
  c->add_option("NUMBER", *number, "case number")->required();
  SetExample(c, "jianyan case receipt P2026-00000001-5");
  c->callback([number, &ctx] {
    jianyan::v1::GetReceiptRequest request;
    request.set_case_number(*number);
    jianyan::v1::Receipt receipt;
    ctx.Check(ctx.Stub<jianyan::v1::IntakeService>()->GetReceipt(
                  ctx.Call().get(), request, &receipt),
              "case receipt");
    ShowReceipt(ctx.out(), receipt, /*first=*/false);
  });
}

struct CodeFlags {
  std::string number, code, level, comment, request_id;
};

void AddStatus(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<CodeFlags>();
  CLI::App* c = parent.add_subcommand(
      "status", "a case's public status, by case number and query code");
  c->add_option("NUMBER", f->number, "case number")->required();
  c->add_option("--code", f->code, "the query code of the receipt")->required();
  SetExample(c, "jianyan case status P2026-00000001-5 --code 1234-5678");
  c->callback([f, &ctx] {
    jianyan::v1::GetPublicStatusRequest request;
    request.set_case_number(f->number);
    request.set_query_code(f->code);
    jianyan::v1::PublicStatus status;
    ctx.Check(ctx.Stub<jianyan::v1::FeedbackService>()->GetPublicStatus(
                  ctx.Call().get(), request, &status),
              "case status");
    ShowPublicStatus(ctx.out(), status);
  });
}

void AddRate(CLI::App& parent, CliContext& ctx) {
  auto f = std::make_shared<CodeFlags>();
  CLI::App* c = parent.add_subcommand(
      "rate", "rate the handling of a case as the petitioner");
  c->add_option("NUMBER", f->number, "case number")->required();
  c->add_option("--code", f->code, "the query code of the receipt")->required();
  c->add_option("--level", f->level,
                "satisfied|basically_satisfied|unsatisfied")
      ->required()
      ->check(
          CLI::IsMember(EnumShortNames(jianyan::v1::RatingLevel_descriptor())));
  c->add_option("--comment", f->comment, "at most 2000 characters");
  c->add_option("--request-id", f->request_id, "idempotency id");
  SetExample(c,
             "jianyan case rate P2026-00000001-5 --code 1234-5678 --level "
             "satisfied");
  c->callback([f, &ctx] {
    jianyan::v1::SubmitRatingRequest request;
    request.set_request_id(RequestIdOr(f->request_id));
    request.set_case_number(f->number);
    request.set_query_code(f->code);
    request.set_level(static_cast<jianyan::v1::RatingLevel>(EnumOrUsage(
        jianyan::v1::RatingLevel_descriptor(), f->level, "--level")));
    request.set_comment(f->comment);
    jianyan::v1::SubmitRatingResponse response;
    ctx.Check(ctx.Stub<jianyan::v1::FeedbackService>()->SubmitRating(
                  ctx.Call().get(), request, &response),
              "case rate",
              "a case is rateable once its answer is delivered, and only "
              "once: `jianyan case status NUMBER --code CODE` shows whether "
              "it is rateable now.");
    ShowPublicStatus(ctx.out(), response.status());
  });
}

}  // namespace

void AddPublicCaseCommands(CLI::App& case_command, CliContext& ctx) {
  AddSubmit(case_command, ctx);
  AddReceipt(case_command, ctx);
  AddStatus(case_command, ctx);
  AddRate(case_command, ctx);
}

}  // namespace jianyan::cli
