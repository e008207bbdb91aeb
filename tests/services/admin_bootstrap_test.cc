#include "services/jianyand/admin_bootstrap.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "services/core/token.h"
#include "tests/storage/store_test_util.h"

namespace jianyan {
namespace {

using storage::testing::TempDir;

class AdminBootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::CaseStoreOptions options;
    options.sync = false;
    options.clock = &clock_;
    auto store = storage::CaseStore::Open(options, dir_.Sub("db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::string TokenFile() const { return dir_.Sub("admin.token"); }
  std::string ReadToken() const {
    std::ifstream in(TokenFile());
    std::stringstream text;
    text << in.rdbuf();
    return std::string(absl::StripAsciiWhitespace(text.str()));
  }
  std::string StoredHash() {
    auto admin = store_->GetPrincipal("admin");
    EXPECT_TRUE(admin.ok()) << admin.status();
    return admin.ok() ? admin->token_hash() : "";
  }

  TempDir dir_;
  ManualClock clock_{absl::FromUnixSeconds(1790000000)};
  std::unique_ptr<storage::CaseStore> store_;
};

TEST_F(AdminBootstrapTest, FirstCallWritesTheFileThenThePrincipal) {
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  struct stat st;
  ASSERT_EQ(::stat(TokenFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string token = ReadToken();
  EXPECT_TRUE(IsWellFormedToken(token));
  EXPECT_EQ(StoredHash(), HashToken(token));
  auto admin = store_->GetPrincipal("admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role(), jianyan::v1::ROLE_ADMIN);
  EXPECT_EQ(admin->display_name(), "administrator");
  EXPECT_EQ(admin->create_time().seconds(), 1790000000);

  // Later calls change nothing.
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  EXPECT_EQ(ReadToken(), token);
  EXPECT_EQ(StoredHash(), HashToken(token));
}

TEST_F(AdminBootstrapTest, AMovedAwayFileIsNotRecreated) {
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  const std::string hash = StoredHash();
  ASSERT_EQ(::unlink(TokenFile().c_str()), 0);
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  EXPECT_NE(::access(TokenFile().c_str(), F_OK), 0);
  EXPECT_EQ(StoredHash(), hash);
}

TEST_F(AdminBootstrapTest, AFileWithoutPrincipalGivesThePrincipal) {
  const std::string token = GenerateToken();
  { std::ofstream(TokenFile()) << token << "\n"; }
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  EXPECT_EQ(ReadToken(), token);
  EXPECT_EQ(StoredHash(), HashToken(token));
}

TEST_F(AdminBootstrapTest, ACutShortFileWithoutPrincipalIsReplaced) {
  { std::ofstream(TokenFile()) << "jy_abc"; }
  ASSERT_TRUE(BootstrapAdmin(dir_.path(), *store_, clock_).ok());
  const std::string token = ReadToken();
  EXPECT_TRUE(IsWellFormedToken(token));
  EXPECT_EQ(StoredHash(), HashToken(token));
}

}  // namespace
}  // namespace jianyan
