#include "tests/bench/load/load_requests.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "workflow/case_number.h"

namespace jianyan::bench {
namespace {

// Sentences of the kind residents write (each about 20-40 characters).
constexpr const char* kSentences[] = {
    "我家住在泰山区某小区，今年入冬以来室内温度长期低于十六度。",
    "多次向物业和供热公司反映，对方均表示正在排查，但一直没有结果。",
    "家中有八十岁老人和两岁儿童，夜间室温只有十三度左右，生活十分困难。",
    "希望有关部门督促供热单位尽快检修管网，保障居民基本供暖需求。",
    "小区门口道路施工已持续三个月，围挡占用人行道，老人孩子出行不便。",
    "施工单位夜间作业噪声很大，影响周边居民休息，请求依法规范施工时间。",
    "建议在景区旺季推行分时段预约，减少游客在山门前的长时间排队。",
    "建议增加通往景区的公交班次，并在节假日开通夜间专线。",
    "本人在某企业工作两年，单位至今拖欠工资四个月，共计两万余元。",
    "曾向劳动监察部门投诉，已受理但迟迟没有处理结果，请求依法督促。",
    "村里灌溉水渠年久失修，渗漏严重，影响数百亩小麦的春季灌溉。",
    "希望相关部门将水渠维修列入今年的农田水利项目，尽快组织施工。",
};

constexpr const char* kMedia[] = {"image/jpeg", "image/png", "application/pdf"};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈",
                                     "杨", "赵", "黄", "周", "吴"};

// FNV-1a: a hash of the tag that is the same in every build and process.
uint64_t TagHash(const std::string& tag) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : tag) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

RequestMaker::RequestMaker(Directory directory, std::string tag, uint64_t seed)
    : directory_(std::move(directory)),
      tag_(std::move(tag)),
      rng_(seed ^ TagHash(tag_)) {}

std::string RequestMaker::NextRequestId() {
  return absl::StrCat(tag_, "-", counter_++);
}

std::string RequestMaker::Text(size_t characters) {
  std::string out;
  size_t have = 0;
  std::uniform_int_distribution<size_t> pick(0, std::size(kSentences) - 1);
  while (have < characters) {
    const std::string s = kSentences[pick(rng_)];
    out += s;
    have += s.size() / 3;  // three UTF-8 bytes a character
  }
  return out;
}

std::string RequestMaker::IdNumber() {
  // Region (Taishan district), a birth date in 1950-1999, a sequence.
  std::uniform_int_distribution<int> year(1950, 1999), month(1, 12), day(1, 28),
      seq(0, 999);
  const std::string payload = absl::StrFormat(
      "370902%04d%02d%02d%03d", year(rng_), month(rng_), day(rng_), seq(rng_));
  return payload + CaseNumberCheckCharacter(payload);
}

jianyan::v1::SubmitCaseRequest RequestMaker::Petition() {
  jianyan::v1::SubmitCaseRequest r;
  r.set_request_id(NextRequestId());
  r.set_kind(jianyan::v1::CASE_KIND_PETITION);
  r.set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
  r.set_region_code(directory_.region_code);
  r.set_category(directory_.category);
  r.set_title("关于小区冬季供暖不达标的反映");
  r.set_content(Text(500));
  std::uniform_int_distribution<int> people(1, 2), surname(0, 9),
      phone(0, 99999999), attachments(0, 3), media(0, 2);
  const int n = people(rng_);
  for (int i = 0; i < n; ++i) {
    auto* p = r.mutable_submitter()->add_representatives();
    p->set_name(absl::StrCat(kSurnames[surname(rng_)], "某某"));
    p->set_phone(absl::StrFormat("139%08d", phone(rng_)));
    p->set_id_number(IdNumber());
    p->set_address("泰安市泰山区某街道某小区");
  }
  const int files = attachments(rng_);
  for (int i = 0; i < files; ++i) {
    auto* a = r.add_attachments();
    std::string hex;
    std::uniform_int_distribution<int> digit(0, 15);
    for (int k = 0; k < 64; ++k) hex += "0123456789abcdef"[digit(rng_)];
    a->set_sha256(hex);
    a->set_size_bytes(200000 + static_cast<uint64_t>(phone(rng_)) % 800000);
    a->set_media_type(kMedia[media(rng_)]);
    a->set_name(absl::StrCat("材料", i + 1));
  }
  return r;
}

jianyan::v1::SubmitCaseRequest RequestMaker::Submission() {
  std::uniform_int_distribution<int> tenth(0, 9);
  if (tenth(rng_) < 7) return Petition();
  jianyan::v1::SubmitCaseRequest r;
  r.set_request_id(NextRequestId());
  r.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  r.set_region_code(directory_.region_code);
  r.set_campaign_id(directory_.campaign_id);
  r.set_theme_id(directory_.theme_id);
  r.set_title("关于景区旺季分时预约和公交接驳的建议");
  r.set_content(Text(500));
  auto* p = r.mutable_submitter()->add_representatives();
  p->set_name("李某某");
  p->set_phone("13900000000");
  return r;
}

jianyan::v1::ActRequest RequestMaker::Act(const std::string& case_number,
                                          uint64_t version,
                                          const std::string& action) {
  jianyan::v1::ActRequest r;
  r.set_request_id(NextRequestId());
  r.set_case_number(case_number);
  r.set_expected_version(version);
  r.set_action(action);
  if (action == "accept") {
    (*r.mutable_fields())["notice_delivery"] = "written";
  } else if (action == "respond") {
    (*r.mutable_fields())["opinion"] = "support";
    r.set_reason("经核查，供热管网存在故障，已责成供热公司限期修复。");
  } else if (action == "deliver") {
    (*r.mutable_fields())["delivery"] = "written";
  }
  return r;
}

jianyan::v1::SubmitRatingRequest RequestMaker::Rating(
    const std::string& case_number, const std::string& query_code) {
  jianyan::v1::SubmitRatingRequest r;
  r.set_request_id(NextRequestId());
  r.set_case_number(case_number);
  r.set_query_code(query_code);
  r.set_level(jianyan::v1::RATING_LEVEL_SATISFIED);
  return r;
}

jianyan::v1::ListOverdueRequest RequestMaker::Overdue() const {
  jianyan::v1::ListOverdueRequest r;
  r.set_page_size(50);
  return r;
}

jianyan::v1::GetStatsRequest RequestMaker::Stats() const {
  const absl::CivilDay today = absl::ToCivilDay(
      absl::Now(), absl::FixedTimeZone(8 * 60 * 60));  // China time
  jianyan::v1::GetStatsRequest r;
  r.set_period(jianyan::v1::STATS_PERIOD_MONTH);
  r.mutable_from()->set_year(static_cast<int32_t>(today.year()));
  r.mutable_from()->set_month(today.month());
  r.mutable_from()->set_day(1);
  r.mutable_to()->set_year(static_cast<int32_t>(today.year()));
  r.mutable_to()->set_month(today.month());
  r.mutable_to()->set_day(today.day());
  r.set_group_by(jianyan::v1::STATS_GROUP_ORGANISATION);
  return r;
}

jianyan::v1::ListCasesRequest RequestMaker::Cases() const {
  jianyan::v1::ListCasesRequest r;
  r.set_organisation_id(directory_.organisation_id);
  r.set_page_size(50);
  return r;
}

}  // namespace jianyan::bench
