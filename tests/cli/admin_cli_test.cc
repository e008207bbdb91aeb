// `jianyan admin ...` against a real jianyand --demo: the directory's put
// and list, tokens (a revoked token then gets exit 4), definitions
// (validate locally, put a changed copy of a shipped one, diff the two
// versions), calendars, backup and verify.
#include <filesystem>
#include <fstream>
#include <set>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.pb.h"
#include "tests/cli/cli_fixture.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;
namespace v1 = jianyan::v1;

class AdminCliTest : public CliFixture {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  static std::string Shipped(const std::string& name) {
    return ReadFile(std::filesystem::path(JIANYAN_SOURCE_DIR) / "workflow" /
                    "definitions" / (name + ".textproto"));
  }
  static std::string Replace(std::string text, const std::string& from,
                             const std::string& to) {
    EXPECT_THAT(text, HasSubstr(from));
    return absl::StrReplaceAll(text, {{from, to}});
  }
};

TEST_F(AdminCliTest, DirectoryPutAndList) {
  StartDemo();
  CliRun org =
      Ok("admin",
         {"admin", "org", "put", "--id", "taishan-cgj", "--zh",
          "泰山区城市管理局", "--en", "Taishan city management", "--parent",
          "taishan-xfj", "--level", "county", "--region", "370902"});
  EXPECT_THAT(org.out, HasSubstr("LEVEL"));
  EXPECT_THAT(org.out, HasSubstr("泰山区城市管理局"));
  auto orgs = JsonLines<v1::Organisation>(
      Ok("admin", {"-o", "json", "admin", "org", "list", "--all"}).out);
  std::set<std::string> ids;
  for (const auto& o : orgs) ids.insert(o.id());
  EXPECT_TRUE(ids.count("taishan-cgj")) << orgs.size();
  EXPECT_TRUE(ids.count("taian-xfj"));

  // A point from a JSON file, a flag overriding the file's name.
  const std::string file =
      Write("point.json",
            R"({"id": "rp-taishan-09", "name": {"zh": "旧名", "en": "old"},
          "organisation_id": "taishan-xfj", "region_code": "370902",
          "active": true})");
  Ok("admin",
     {"admin", "point", "put", "--from-file", file, "--zh", "泰山区第9直报点"});
  auto points = JsonLines<v1::ReportingPoint>(
      Ok("admin", {"-o", "json", "admin", "point", "list", "--all"}).out);
  bool found = false;
  for (const auto& p : points) {
    if (p.id() != "rp-taishan-09") continue;
    found = true;
    EXPECT_EQ(p.name().zh(), "泰山区第9直报点");
    EXPECT_EQ(p.name().en(), "old");
    EXPECT_TRUE(p.active());
  }
  EXPECT_TRUE(found);
  CliRun table = Ok("admin", {"admin", "point", "list", "--all"});
  EXPECT_THAT(table.out, HasSubstr("ORGANISATION"));
  EXPECT_THAT(table.out, HasSubstr("rp-taishan-09"));

  Ok("admin", {"admin", "suggester", "put", "--id", "sg-34", "--name",
               "特邀建议人34", "--affiliation", "泰安学院", "--expertise",
               "文旅", "--expertise", "规划"});
  auto suggesters = JsonLines<v1::Suggester>(
      Ok("admin", {"-o", "json", "admin", "suggester", "list", "--all"}).out);
  EXPECT_EQ(suggesters.size(), 34u);

  Ok("admin", {"admin", "campaign", "put", "--id", "heating-2027", "--zh",
               "冬季供暖建言", "--org", "taian-shgb", "--open", "2026-12-01",
               "--close", "2027-02-28", "--theme", "pricing:供暖价格:Pricing",
               "--theme", "service:服务质量"});
  auto campaigns = JsonLines<v1::Campaign>(
      Ok("admin", {"-o", "json", "admin", "campaign", "list"}).out);
  found = false;
  for (const auto& c : campaigns) {
    if (c.id() != "heating-2027") continue;
    found = true;
    ASSERT_EQ(c.themes_size(), 2);
    EXPECT_EQ(c.themes(1).title().zh(), "服务质量");
  }
  EXPECT_TRUE(found);

  // The catalogue intake checks against.
  CliRun category = Ok("admin", {"admin", "category", "put", "--name",
                                 "物业管理", "--en", "Property management"});
  EXPECT_THAT(category.out, HasSubstr("Property management"));
  auto categories = JsonLines<v1::Category>(
      Ok("admin", {"-o", "json", "admin", "category", "list", "--all"}).out);
  EXPECT_EQ(categories.size(), 13u);
  Ok("admin", {"admin", "region", "put", "--code", "370999", "--zh", "示例区",
               "--en", "Example", "--parent", "370900"});
  CliRun regions = Ok("admin", {"admin", "region", "list", "--all"});
  EXPECT_THAT(regions.out, HasSubstr("370999"));
  EXPECT_THAT(regions.out, HasSubstr("示例区 Example"));

  // Usage and refusal: a missing id, an unknown level, a bad parent.
  EXPECT_EQ(Run("admin", {"admin", "org", "put", "--zh", "无名"}).code, 2);
  EXPECT_EQ(
      Run("admin", {"admin", "org", "put", "--id", "x", "--level", "galaxy"})
          .code,
      2);
  // Not an admin: exit 4.
  EXPECT_EQ(Run("supervisor", {"admin", "org", "list"}).code, 4);
  StopServer(*server_);
}

TEST_F(AdminCliTest, TokenCreateListRevoke) {
  StartDemo();
  auto created = JsonLines<v1::CreatePrincipalResponse>(
      Ok("admin", {"-o", "json", "admin", "token", "create", "--id",
                   "handler-taishan-2", "--role", "handler", "--org",
                   "taishan-xfj", "--name", "泰山区信访局值班"})
          .out);
  ASSERT_EQ(created.size(), 1u);
  const std::string token = created[0].token();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(created[0].principal().role(), v1::ROLE_HANDLER);

  // Table mode shows the token once, with the warning.
  CliRun table = Ok("admin", {"admin", "token", "create", "--id", "sup-2",
                              "--role", "supervisor", "--org", "taian-xfj"});
  EXPECT_THAT(table.out, HasSubstr("token"));
  EXPECT_THAT(table.out, HasSubstr("shown once"));

  Ok("", {"--token", token, "case", "list"});
  CliRun list = Ok("admin", {"admin", "token", "list", "--all"});
  EXPECT_THAT(list.out, HasSubstr("handler-taishan-2"));
  EXPECT_THAT(list.out, HasSubstr("org:taishan-xfj"));
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr(token)));

  CliRun revoked =
      Ok("admin", {"admin", "token", "revoke", "handler-taishan-2"});
  EXPECT_THAT(revoked.out, HasSubstr("yes"));
  auto principals = JsonLines<v1::Principal>(
      Ok("admin", {"-o", "json", "admin", "token", "list", "--all"}).out);
  bool found = false;
  for (const auto& p : principals) {
    if (p.id() == "handler-taishan-2") {
      found = true;
      EXPECT_TRUE(p.revoked());
      EXPECT_TRUE(p.token_hash().empty());
    }
  }
  EXPECT_TRUE(found);
  CliRun refused = Run("", {"--token", token, "case", "list"});
  EXPECT_EQ(refused.code, 4) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("UNAUTHENTICATED"));
  StopServer(*server_);
}

TEST_F(AdminCliTest, DefinitionValidateLocally) {
  // No server: the loader and validator of the workflow library.
  const std::string good = Write("petition.textproto", Shipped("petition"));
  CliRun ok = Run("", {"admin", "definition", "validate", good});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("ok: petition version "));

  const std::string broken =
      Write("broken.textproto",
            Replace(Shipped("petition"), "on_expiry: \"routing_overdue\"",
                    "on_expiry: \"no_such_action\""));
  CliRun bad = Run("", {"admin", "definition", "validate", broken});
  EXPECT_EQ(bad.code, 1);
  EXPECT_THAT(bad.err, HasSubstr("broken.textproto:"));
  EXPECT_THAT(bad.err, HasSubstr("no_such_action"));

  const std::string syntax = Write("syntax.textproto", "states { name: ");
  EXPECT_EQ(Run("", {"admin", "definition", "validate", syntax}).code, 1);
  EXPECT_EQ(Run("", {"admin", "definition", "validate",
                     (dir_ / "missing.textproto").string()})
                .code,
            2);
}

TEST_F(AdminCliTest, DefinitionPutShowAndDiffTwoVersions) {
  StartDemo();
  auto before = JsonLines<v1::WorkflowDefinition>(
      Ok("admin", {"-o", "json", "admin", "definition", "show", "petition"})
          .out);
  ASSERT_EQ(before.size(), 1u);
  const std::string v1_version = before[0].version();

  // Version 2: a state relabelled, a timer shortened, an action added and
  // one removed.
  std::string text = Shipped("petition");
  text = Replace(text,
                 "name: \"handling\" label { zh: \"办理中\" en: \"Handling\" }",
                 "name: \"handling\" label { zh: \"正在办理\" en: \"Handling\" "
                 "}");
  text = Replace(text,
                 "name: \"hold_hearing\" label { zh: \"举行听证\" en: \"Hold a "
                 "hearing\" }",
                 "name: \"add_note\" label { zh: \"添加备注\" en: \"Add a "
                 "note\" }");
  text = Replace(text,
                 "name: \"routing\" label { zh: \"转送交办期限\" en: \"Routing "
                 "limit\" }\n  duration { amount: 15",
                 "name: \"routing\" label { zh: \"转送交办期限\" en: \"Routing "
                 "limit\" }\n  duration { amount: 10");
  const std::string file = Write("petition-v2.textproto", text);
  EXPECT_EQ(Run("", {"admin", "definition", "validate", file}).code, 0);
  auto put = JsonLines<v1::WorkflowDefinition>(
      Ok("admin", {"-o", "json", "admin", "definition", "put", file}).out);
  ASSERT_EQ(put.size(), 1u);
  const std::string v2_version = put[0].version();
  ASSERT_NE(v1_version, v2_version);

  CliRun list = Ok("admin", {"admin", "definition", "list"});
  EXPECT_THAT(list.out, HasSubstr(v1_version));
  EXPECT_THAT(list.out, HasSubstr(v2_version));
  EXPECT_THAT(list.out, HasSubstr("CURRENT"));

  CliRun show = Ok("admin", {"admin", "definition", "show", "petition",
                             "--version", v2_version.substr(0, 6)});
  EXPECT_THAT(show.out, HasSubstr("正在办理"));
  EXPECT_THAT(show.out, HasSubstr("add_note"));

  // The diff by version prefixes: JSON objects, then the table.
  auto changes = JsonLines<google::protobuf::Struct>(
      Ok("admin", {"-o", "json", "admin", "definition", "diff", "petition",
                   v1_version.substr(0, 8), v2_version.substr(0, 8)})
          .out);
  std::set<std::string> seen;
  for (const auto& c : changes) {
    const auto& f = c.fields();
    std::string fields;
    for (const auto& v : f.at("fields").list_value().values()) {
      fields += v.string_value() + ",";
    }
    seen.insert(f.at("kind").string_value() + " " +
                f.at("name").string_value() + " " +
                f.at("change").string_value() + " " + fields);
  }
  EXPECT_THAT(
      seen, ::testing::UnorderedElementsAre("state handling changed label,",
                                            "action add_note added ",
                                            "action hold_hearing removed ",
                                            "timer routing changed duration,"));
  CliRun diff = Ok("admin", {"admin", "definition", "diff", "petition",
                             v1_version, "current"});
  EXPECT_THAT(diff.out, HasSubstr("4 changes"));
  EXPECT_THAT(diff.out, HasSubstr("正在办理 / Handling"));
  EXPECT_THAT(diff.out, HasSubstr("举行听证 / Hold a hearing"));

  CliRun unknown = Run("admin", {"admin", "definition", "diff", "petition",
                                 "ffffffffffff", "current"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr(v1_version));
  StopServer(*server_);
}

TEST_F(AdminCliTest, CalendarBackupAndVerify) {
  const std::string config =
      Write("server.textproto",
            "backup_root: \"" + (dir_ / "backups").string() + "\"\n");
  server_ = StartServer({"--demo", "--testing_clock", "--config=" + config},
                        &address_);
  ASSERT_NE(server_, nullptr);
  Submit("路灯不亮");

  const std::string year =
      Write("cn-2035.textproto",
            "name: \"cn\" year: 2035\n"
            "holidays { first { year: 2035 month: 1 day: 1 } last { year: 2035 "
            "month: 1 day: 1 } label { zh: \"元旦\" en: \"New Year\" } }\n"
            "source: \"test\"\n");
  CliRun put = Ok("admin", {"admin", "calendar", "put", year});
  EXPECT_THAT(put.out, HasSubstr("2035"));
  CliRun again = Run("admin", {"admin", "calendar", "put", year});
  EXPECT_EQ(again.code, 1) << again.err;
  auto years = JsonLines<v1::CalendarYear>(
      Ok("admin", {"-o", "json", "admin", "calendar", "list"}).out);
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].year(), 2035);

  CliRun backup = Ok("admin", {"admin", "backup", "nightly"});
  EXPECT_THAT(backup.err, HasSubstr("backing up into nightly"));
  EXPECT_THAT(backup.out, HasSubstr("cases"));
  auto backups = JsonLines<v1::BackupResponse>(
      Ok("admin", {"-o", "json", "admin", "backup", "nightly"}).out);
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(backups[0].cases(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "backups" / "nightly"));
  EXPECT_EQ(Run("admin", {"admin", "backup", "/etc"}).code, 1);

  CliRun verify = Ok("admin", {"admin", "verify"});
  EXPECT_THAT(verify.out, HasSubstr("ok        yes"));
  auto verified = JsonLines<v1::VerifyResponse>(
      Ok("admin", {"-o", "json", "admin", "verify"}).out);
  ASSERT_EQ(verified.size(), 1u);
  EXPECT_TRUE(verified[0].ok());
  EXPECT_EQ(verified[0].cases_checked(), 1u);
  StopServer(*server_);
}

TEST_F(AdminCliTest, EveryAdminCommandHasHelpWithAnExample) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{
           {"admin"},
           {"admin", "org", "put"},
           {"admin", "point", "list"},
           {"admin", "suggester", "put"},
           {"admin", "category", "put"},
           {"admin", "region", "list"},
           {"admin", "campaign", "put"},
           {"admin", "token", "create"},
           {"admin", "token", "revoke"},
           {"admin", "definition", "validate"},
           {"admin", "definition", "diff"},
           {"admin", "calendar", "put"},
           {"admin", "backup"},
           {"admin", "verify"},
           {"demo", "load"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    CliRun help = Run("", args);
    EXPECT_EQ(help.code, 0) << absl::StrJoin(command, " ");
    EXPECT_THAT(help.out, HasSubstr("Example:")) << absl::StrJoin(command, " ");
  }
}

}  // namespace
}  // namespace jianyan::testing
