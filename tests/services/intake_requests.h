// Valid SubmitCaseRequests for the intake tests to start from: a claim
// petition with one representative (GB 11643's own example id number) and a
// suggestion in campaign "cz-open", theme "tourism".
#ifndef JIANYAN_TESTS_SERVICES_INTAKE_REQUESTS_H_
#define JIANYAN_TESTS_SERVICES_INTAKE_REQUESTS_H_

#include <string>

#include "jianyan/v1/intake.pb.h"

namespace jianyan::testing {

inline constexpr char kValidIdNumber[] = "11010519491231002X";

inline jianyan::v1::SubmitCaseRequest PetitionRequest(
    const std::string& request_id) {
  jianyan::v1::SubmitCaseRequest r;
  r.set_request_id(request_id);
  r.set_kind(jianyan::v1::CASE_KIND_PETITION);
  r.set_petition_type(jianyan::v1::PETITION_TYPE_CLAIM);
  r.set_region_code("370902");
  r.set_title("小区供暖不热");
  r.set_content("冬季室温长期低于十六度。");
  r.set_category("城乡建设");
  auto* p = r.mutable_submitter()->add_representatives();
  p->set_name("张三");
  p->set_phone("13800000000");
  p->set_id_number(kValidIdNumber);
  return r;
}

inline jianyan::v1::SubmitCaseRequest SuggestionRequest(
    const std::string& request_id) {
  jianyan::v1::SubmitCaseRequest r;
  r.set_request_id(request_id);
  r.set_kind(jianyan::v1::CASE_KIND_SUGGESTION);
  r.set_region_code("370900");
  r.set_title("关于泰山景区错峰预约的建议");
  r.set_content("建议在旺季实行分时段预约。");
  r.set_campaign_id("cz-open");
  r.set_theme_id("tourism");
  return r;
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_INTAKE_REQUESTS_H_
