// AdminService over a real server and store: definition versions (running
// cases keep theirs, new cases pin the newest, across restarts and file
// edits), the directory, backups below the configured root only.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "storage/case_store.h"
#include "tests/services/core_server.h"
#include "workflow/definition_loader.h"
#include "workflow/textproto.h"

namespace jianyan::testing {
namespace {

namespace fs = std::filesystem;

// A copy of the shipped definitions with the petition's label edited (a new
// version of the same definition).
std::string EditedDefinitions(const std::string& dir, const std::string& zh) {
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(DefaultDefinitionsDir())) {
    fs::copy_file(entry.path(), dir + "/" + entry.path().filename().string(),
                  fs::copy_options::overwrite_existing);
  }
  const std::string file = dir + "/petition.textproto";
  auto text = ReadFileToString(file);
  EXPECT_TRUE(text.ok());
  std::string edited = absl::StrReplaceAll(
      *text, {{"label { zh: \"信访事项\"", "label { zh: \"" + zh + "\""}});
  EXPECT_NE(edited, *text) << "the petition label was not found";
  std::ofstream(file, std::ios::trunc) << edited;
  return dir;
}

jianyan::v1::Case Get(CoreServer& s, const std::string& no) {
  jianyan::v1::GetCaseRequest req;
  req.set_case_number(no);
  jianyan::v1::Case c;
  EXPECT_TRUE(s.workflow().GetCase(s.As("supervisor").get(), req, &c).ok());
  return c;
}

TEST(AdminServiceTest, EditedDefinitionFileKeepsRunningCasesOnTheirVersion) {
  storage::testing::TempDir dir;
  CoreServerOptions first;
  first.data_dir = dir.Sub("data");
  std::string old_no, old_version;
  std::map<std::string, std::string> tokens;
  {
    CoreServer v1(first);
    v1.Seed();
    jianyan::v1::Case c = v1.CreatePetition("upgrade-old-1");
    old_no = c.case_number();
    old_version = c.definition_version();
    tokens = v1.tokens();
  }
  CoreServerOptions second;
  second.data_dir = first.data_dir;
  second.definitions_dir = EditedDefinitions(dir.Sub("defs"), "信访事项(修订)");
  second.tokens = tokens;
  CoreServer v2(second);
  jianyan::v1::Case fresh = v2.CreatePetition("upgrade-new-1");
  EXPECT_NE(fresh.definition_version(), old_version);
  // The old case still moves, under its own version.
  ASSERT_TRUE(v2.Act("registrar", old_no, "assign",
                     {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  jianyan::v1::Case old = Get(v2, old_no);
  EXPECT_EQ(old.state(), "assigned");
  EXPECT_EQ(old.definition_version(), old_version);
  // Both versions are listed; the edited one is current.
  jianyan::v1::GetWorkflowDefinitionRequest get;
  get.set_name("petition");
  jianyan::v1::WorkflowDefinition current;
  ASSERT_TRUE(v2.admin()
                  .GetWorkflowDefinition(v2.As("admin").get(), get, &current)
                  .ok());
  EXPECT_EQ(current.version(), fresh.definition_version());
  get.set_version(old_version);
  jianyan::v1::WorkflowDefinition pinned;
  ASSERT_TRUE(v2.admin()
                  .GetWorkflowDefinition(v2.As("admin").get(), get, &pinned)
                  .ok());
  EXPECT_EQ(pinned.version(), old_version);
}

TEST(AdminServiceTest, PutWorkflowDefinitionPinsNewCasesOnly) {
  CoreServer server;
  server.Seed();
  jianyan::v1::Case before = server.CreatePetition("put-def-old");
  storage::testing::TempDir dir;
  auto text =
      ReadFileToString(EditedDefinitions(dir.Sub("defs"), "信访事项(第二版)") +
                       "/petition.textproto");
  ASSERT_TRUE(text.ok());
  jianyan::v1::PutWorkflowDefinitionRequest put;
  put.set_request_id("put-definition-1");
  put.set_textproto(*text);
  jianyan::v1::WorkflowDefinition stored;
  grpc::Status s = server.admin().PutWorkflowDefinition(
      server.As("admin").get(), put, &stored);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(stored.version(), before.definition_version());
  jianyan::v1::Case after = server.CreatePetition("put-def-new");
  EXPECT_EQ(after.definition_version(), stored.version());
  ASSERT_TRUE(server
                  .Act("registrar", before.case_number(), "assign",
                       {{"organisation_id", kHousing}, {"deadline_days", "60"}})
                  .ok());
  EXPECT_EQ(Get(server, before.case_number()).definition_version(),
            before.definition_version());

  // An invalid definition is refused with the loader's line number.
  put.set_textproto(absl::StrReplaceAll(
      *text,
      {{"initial_state: \"registered\"", "initial_state: \"nowhere\""}}));
  s = server.admin().PutWorkflowDefinition(server.As("admin").get(), put,
                                           &stored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("textproto"), std::string::npos)
      << s.error_message();
  jianyan::v1::Case still = server.CreatePetition("put-def-newer");
  EXPECT_EQ(still.definition_version(), after.definition_version());
}

TEST(AdminServiceTest, DirectoryListsAndPrincipalsHideTokenHashes) {
  CoreServer server;
  server.Seed();
  jianyan::v1::ListRequest list;
  list.set_page_size(2);
  jianyan::v1::ListOrganisationsResponse orgs;
  ASSERT_TRUE(server.admin()
                  .ListOrganisations(server.As("admin").get(), list, &orgs)
                  .ok());
  EXPECT_EQ(orgs.organisations_size(), 2);
  ASSERT_FALSE(orgs.next_page_token().empty());
  list.set_page_token(orgs.next_page_token());
  jianyan::v1::ListOrganisationsResponse rest;
  ASSERT_TRUE(server.admin()
                  .ListOrganisations(server.As("admin").get(), list, &rest)
                  .ok());
  EXPECT_EQ(rest.organisations_size(), 2);
  jianyan::v1::ListRequest all;
  jianyan::v1::ListPrincipalsResponse principals;
  ASSERT_TRUE(server.admin()
                  .ListPrincipals(server.As("admin").get(), all, &principals)
                  .ok());
  EXPECT_GE(principals.principals_size(), 10);
  for (const auto& p : principals.principals()) {
    EXPECT_TRUE(p.token_hash().empty()) << p.id();
  }
}

TEST(AdminServiceTest, BackupBelowTheRootRestoresAndVerifies) {
  CoreServer server;
  server.Seed();
  jianyan::v1::Case c = server.CreatePetition("backup-case-1");
  jianyan::v1::BackupRequest req;
  req.set_directory("nightly");
  jianyan::v1::BackupResponse resp;
  grpc::Status s = server.admin().Backup(server.As("admin").get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.directory(), server.dir() + "/backups/nightly");
  EXPECT_GT(resp.files(), 0u);
  EXPECT_GT(resp.bytes(), 0u);
  storage::testing::TempDir restored;
  ASSERT_TRUE(
      storage::CaseStore::Restore(resp.directory(), restored.Sub("db")).ok());
  auto store = storage::CaseStore::Open({}, restored.Sub("db"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto got = (*store)->GetCase(c.case_number());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->case_().version(), c.version());
  jianyan::v1::VerifyRequest verify;
  jianyan::v1::VerifyResponse report;
  ASSERT_TRUE(
      server.admin().Verify(server.As("admin").get(), verify, &report).ok());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.cases_checked(), 1u);
}

}  // namespace
}  // namespace jianyan::testing
