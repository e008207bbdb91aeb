#include "tests/services/core_server.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "tests/services/core_calls.h"
#include "workflow/calendar.h"
#include "workflow/definition_loader.h"
#include "workflow/time_util.h"

namespace jianyan::testing {

using jianyan::v1::Role;

absl::Time CoreServer::DefaultStart() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0),
                         ChinaTimeZone());
}

CoreServer::CoreServer(CoreServerOptions o)
    : data_dir_(o.data_dir.empty() ? dir_.path() : o.data_dir),
      clock_(o.now == absl::InfinitePast() ? DefaultStart() : o.now),
      tokens_(std::move(o.tokens)) {
  std::filesystem::create_directories(data_dir_);
  storage::CaseStoreOptions options;
  options.sync = false;  // durability is the storage tests' subject
  options.clock = &core_clock_;
  if (o.env != nullptr) {
    options.env = o.env;
    options.sync = true;
    options.resume_backoff = absl::Hours(24);
    options.resume_backoff_max = absl::Hours(24);
  }
  auto store = storage::CaseStore::Open(options, data_dir_ + "/db");
  EXPECT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  WorkflowCoreOptions core_options;
  auto calendars = LoadCalendarDir(DefaultCalendarsDir());
  EXPECT_TRUE(calendars.ok()) << calendars.status();
  core_options.calendars = *calendars;
  auto definitions = LoadDefinitionDir(
      o.definitions_dir.empty() ? DefaultDefinitionsDir() : o.definitions_dir,
      *calendars);
  EXPECT_TRUE(definitions.ok()) << definitions.status();
  core_options.from_files = *definitions;
  core_options.backup_root = data_dir_ + "/backups";
  auto core = WorkflowCore::Open(*store_, core_clock_, std::move(core_options));
  EXPECT_TRUE(core.ok()) << core.status();
  core_ = *std::move(core);
  if (o.call_bounds.has_value()) {
    limits_ = std::make_unique<CallLimits>(*o.call_bounds);
  }
  gate_ =
      std::make_unique<CallGate>(core_->auth(), core_->policy(), limits_.get());
  workflow_service_ =
      std::make_unique<WorkflowServiceImpl>(*gate_, core_->cases());
  admin_service_ = std::make_unique<AdminServiceImpl>(*gate_, core_->admin(),
                                                      core_->worker());
  supervision_service_ = std::make_unique<SupervisionServiceImpl>(
      *gate_, core_->supervision(), core_->stats(), core_->notices());
  testing_service_ = std::make_unique<TestingServiceImpl>(
      core_clock_,
      [gate = gate_.get()](grpc::CallbackServerContext* ctx) {
        return gate->Admit(ctx, "TestingService.AdvanceClock").status();
      },
      [timers = &core_->timers()](absl::Time now) {
        absl::StatusOr<uint64_t> fired = timers->RunDue(now);
        EXPECT_TRUE(fired.ok()) << fired.status();
      });
  internal_service_ = std::make_unique<CoreInternalServiceImpl>(
      *gate_, core_->auth(), core_->feedback());
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.RegisterService(workflow_service_.get());
  builder.RegisterService(admin_service_.get());
  builder.RegisterService(supervision_service_.get());
  builder.RegisterService(testing_service_.get());
  builder.RegisterService(internal_service_.get());
  server_ = builder.BuildAndStart();
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(true);
  store_->SetWriteHealthListener(
      [health](const absl::Status& s) { health->SetServingStatus(s.ok()); });
  channel_ = server_->InProcessChannel(grpc::ChannelArguments());
  workflow_ = jianyan::v1::WorkflowService::NewStub(channel_);
  admin_ = jianyan::v1::AdminService::NewStub(channel_);
  supervision_ = jianyan::v1::SupervisionService::NewStub(channel_);
  testing_ = jianyan::v1::TestingService::NewStub(channel_);
  if (tokens_.count("admin") > 0) return;
  auto admin = core_->auth().CreatePrincipal([] {
    jianyan::v1::Principal p;
    p.set_id("admin");
    p.set_role(jianyan::v1::ROLE_ADMIN);
    return p;
  }());
  EXPECT_TRUE(admin.ok()) << admin.status();
  tokens_["admin"] = admin->second;
}

CoreServer::~CoreServer() {
  store_->SetWriteHealthListener(nullptr);
  core_->Quiesce();  // watch streams end; the scheduler stops
  server_->Shutdown();
  server_->Wait();
}

void CoreServer::Advance(absl::Duration by) {
  jianyan::v1::AdvanceClockRequest req;
  *req.mutable_by() = [&] {
    google::protobuf::Duration d;
    d.set_seconds(absl::ToInt64Seconds(by));
    return d;
  }();
  jianyan::v1::AdvanceClockResponse resp;
  grpc::Status s = testing_->AdvanceClock(As("admin").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

std::unique_ptr<grpc::ClientContext> CoreServer::As(
    const std::string& who) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (who.empty()) return ctx;
  if (absl::StartsWith(who, "raw:")) {
    ctx->AddMetadata("authorization", who.substr(4));
    return ctx;
  }
  ctx->AddMetadata("authorization", "Bearer " + tokens_.at(who));
  return ctx;
}

std::string CoreServer::NewToken(const std::string& id, Role role,
                                 const std::string& org,
                                 const std::string& point,
                                 const std::string& suggester) {
  return NewPrincipalToken(*admin_, As("admin"), id, role, org, point,
                           suggester);
}

void CoreServer::Seed() {
  auto org = [&](const char* id, const char* parent, const char* zh,
                 jianyan::v1::OrganisationLevel level) {
    SeedOrganisation(*admin_, As("admin"), id, parent, zh, level);
  };
  org(kCityBureau, "", "泰安市信访局", jianyan::v1::ORGANISATION_LEVEL_CITY);
  org(kDistrict, kCityBureau, "泰山区", jianyan::v1::ORGANISATION_LEVEL_COUNTY);
  org(kHousing, kDistrict, "泰山区住房和城乡建设局",
      jianyan::v1::ORGANISATION_LEVEL_COUNTY);
  org(kOtherDistrict, kCityBureau, "岱岳区",
      jianyan::v1::ORGANISATION_LEVEL_COUNTY);
  SeedReportingPoint(*admin_, As("admin"), kPoint, kCityBureau);
  SeedReportingPoint(*admin_, As("admin"), kOtherPoint, kOtherDistrict);
  {
    jianyan::v1::PutSuggesterRequest req;
    req.set_request_id("suggester-sg-1");
    req.mutable_suggester()->set_id(kSuggesterId);
    req.mutable_suggester()->set_name("王建言");
    jianyan::v1::Suggester out;
    grpc::Status s = admin_->PutSuggester(As("admin").get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  tokens_["terminal"] =
      NewToken("terminal-1", jianyan::v1::ROLE_TERMINAL, "", kPoint);
  tokens_["other_terminal"] =
      NewToken("terminal-2", jianyan::v1::ROLE_TERMINAL, "", kOtherPoint);
  tokens_["suggester"] = NewToken("suggester-1", jianyan::v1::ROLE_SUGGESTER,
                                  "", "", kSuggesterId);
  tokens_["registrar"] =
      NewToken("registrar-1", jianyan::v1::ROLE_HANDLER, kCityBureau);
  tokens_["handler"] =
      NewToken("handler-1", jianyan::v1::ROLE_HANDLER, kHousing);
  tokens_["other_handler"] =
      NewToken("handler-2", jianyan::v1::ROLE_HANDLER, kOtherDistrict);
  tokens_["supervisor"] =
      NewToken("supervisor-1", jianyan::v1::ROLE_SUPERVISOR, kCityBureau);
  tokens_["district_supervisor"] =
      NewToken("supervisor-2", jianyan::v1::ROLE_SUPERVISOR, kDistrict);
  tokens_["service"] = NewToken("intake-edge", jianyan::v1::ROLE_SERVICE);
}

jianyan::v1::CreateCaseRequest CoreServer::PetitionRequest(
    const std::string& request_id, jianyan::v1::PetitionType type,
    const std::string& query_code_hash) {
  jianyan::v1::CreateCaseRequest req;
  req.set_request_id(request_id);
  auto* c = req.mutable_case_();
  c->set_kind(jianyan::v1::CASE_KIND_PETITION);
  c->set_petition_type(type);
  c->set_channel(jianyan::v1::CHANNEL_TERMINAL);
  c->set_reporting_point_id(kPoint);
  c->set_region_code("370902");
  c->set_title("小区供暖不达标");
  c->set_content("冬季室温长期低于16度，多次反映未解决。");
  c->set_category("城乡建设");
  auto* person = c->mutable_submitter()->add_representatives();
  person->set_name("张三丰");
  person->set_phone("13812341234");
  person->set_id_number("370902199001011234");
  person->set_address("泰山区财源街道1号");
  req.mutable_on_behalf_of()->set_principal_id("terminal-1");
  req.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
  req.mutable_on_behalf_of()->set_reporting_point_id(kPoint);
  req.set_query_code_hash(query_code_hash);
  return req;
}

jianyan::v1::Case CoreServer::CreatePetition(
    const std::string& request_id, jianyan::v1::PetitionType type,
    const std::string& query_code_hash) {
  jianyan::v1::CreateCaseRequest req =
      PetitionRequest(request_id, type, query_code_hash);
  jianyan::v1::CreateCaseResponse resp;
  grpc::Status s = workflow_->CreateCase(As("service").get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.case_();
}

grpc::Status CoreServer::Act(const std::string& who,
                             const std::string& case_number,
                             const std::string& action,
                             std::map<std::string, std::string> fields,
                             jianyan::v1::ActResponse* out) {
  return ActOnCurrentVersion(
      *workflow_, [&] { return As(who); },
      absl::StrCat("act-", ++request_seq_, "-", action), case_number, action,
      fields, out);
}

}  // namespace jianyan::testing
