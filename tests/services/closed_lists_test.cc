// Categories and regions: AdminService puts and lists them (validated,
// naming the field), and once a list exists the core's CreateCase accepts
// only its active entries; without a list the core does not restrict.
#include <string>

#include "gtest/gtest.h"
#include "tests/services/core_server.h"

namespace jianyan::testing {
namespace {

grpc::Status PutCategory(CoreServer& s, const std::string& name, bool active,
                         const std::string& zh = "分类") {
  jianyan::v1::PutCategoryRequest r;
  r.mutable_category()->set_name(name);
  r.mutable_category()->mutable_label()->set_zh(zh);
  r.mutable_category()->set_active(active);
  jianyan::v1::Category out;
  return s.admin().PutCategory(s.As("admin").get(), r, &out);
}

grpc::Status PutRegion(CoreServer& s, const std::string& code,
                       const std::string& parent, bool active = true) {
  jianyan::v1::PutRegionRequest r;
  r.mutable_region()->set_code(code);
  r.mutable_region()->mutable_name()->set_zh("区划");
  r.mutable_region()->set_parent_code(parent);
  r.mutable_region()->set_active(active);
  jianyan::v1::Region out;
  return s.admin().PutRegion(s.As("admin").get(), r, &out);
}

TEST(ClosedListsTest, BadPutsNameTheField) {
  CoreServer server;
  struct Row {
    grpc::Status status;
    std::string field;
  } rows[] = {
      {PutCategory(server, "", true), "category.name"},
      {PutCategory(server, " 城乡建设", true), "category.name"},
      {PutCategory(server, std::string(101, 'c'), true), "category.name"},
      {PutCategory(server, "城乡建设", true, ""), "category.label.zh"},
      {PutRegion(server, "37090", ""), "region.code"},
      {PutRegion(server, "37090x", ""), "region.code"},
      {PutRegion(server, "370902", "3709"), "region.parent_code"},
      {PutRegion(server, "370902", "370900"), "region.parent_code"},  // unknown
  };
  for (const Row& row : rows) {
    EXPECT_EQ(row.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << row.field;
    EXPECT_EQ(row.status.error_message().rfind(row.field + ": ", 0), 0u)
        << row.status.error_message();
  }
  jianyan::v1::ListCategoriesResponse categories;
  ASSERT_TRUE(server.admin()
                  .ListCategories(server.As("admin").get(), {}, &categories)
                  .ok());
  EXPECT_EQ(categories.categories_size(), 0);
}

TEST(ClosedListsTest, CreateCaseAcceptsOnlyActiveEntriesOnceAListExists) {
  CoreServer server;
  server.Seed();
  // No lists yet: the seeded petition (region 370902, 城乡建设) passes.
  server.CreatePetition("closed-list-0");
  ASSERT_TRUE(PutRegion(server, "370900", "").ok());
  ASSERT_TRUE(PutRegion(server, "370902", "370900", /*active=*/false).ok());
  ASSERT_TRUE(PutCategory(server, "劳动社保", true).ok());
  jianyan::v1::CreateCaseRequest req;
  req.set_request_id("closed-list-1");
  auto* c = req.mutable_case_();
  c->set_kind(jianyan::v1::CASE_KIND_PETITION);
  c->set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
  c->set_reporting_point_id(kPoint);
  c->set_region_code("370902");
  c->set_title("欠薪");
  c->set_content("工资拖欠三个月。");
  c->set_category("城乡建设");
  auto* p = c->mutable_submitter()->add_representatives();
  p->set_name("李四");
  p->set_phone("13900000000");
  req.mutable_on_behalf_of()->set_principal_id("terminal-1");
  req.mutable_on_behalf_of()->set_role(jianyan::v1::ROLE_TERMINAL);
  req.mutable_on_behalf_of()->set_reporting_point_id(kPoint);
  jianyan::v1::CreateCaseResponse out;
  grpc::Status s =
      server.workflow().CreateCase(server.As("service").get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "case.region_code: inactive division of this deployment");
  c->set_region_code("370900");
  s = server.workflow().CreateCase(server.As("service").get(), req, &out);
  EXPECT_EQ(s.error_message(), "case.category: unknown category");
  c->set_category("劳动社保");
  s = server.workflow().CreateCase(server.As("service").get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace jianyan::testing
