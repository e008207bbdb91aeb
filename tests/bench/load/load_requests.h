// The requests the load generator sends: petitions and suggestions of
// realistic size (about 1.5 KB of Chinese text, 0-3 attachments, valid
// identity numbers), and the handling steps of a petition. The directory
// names (region, category, campaign, theme, organisation) default to the
// Tai'an demo directory of `jianyand --demo`.
//
// Thread-safety: RequestMaker is not thread-safe; give each thread its own.
#ifndef JIANYAN_TESTS_BENCH_LOAD_LOAD_REQUESTS_H_
#define JIANYAN_TESTS_BENCH_LOAD_LOAD_REQUESTS_H_

#include <cstdint>
#include <random>
#include <string>

#include "jianyan/v1/feedback.pb.h"
#include "jianyan/v1/intake.pb.h"
#include "jianyan/v1/supervision.pb.h"
#include "jianyan/v1/workflow_service.pb.h"

namespace jianyan::bench {

struct Directory {
  std::string region_code = "370902";
  std::string category = "城乡建设";
  std::string campaign_id = "taishan-jianyan-2026";
  std::string theme_id = "livelihood";
  // The handlers' organisation (lists of the console scenario).
  std::string organisation_id = "taishan-xfj";
};

class RequestMaker {
 public:
  // `tag` makes this run's request ids unique (8+ characters of
  // [A-Za-z0-9_-] in total with the counter). The random stream is seeded
  // from `seed` and `tag` together: runs with different tags draw different
  // petitioners (identity numbers), so a long benchmark does not pile cases
  // onto the same few people, while the same tag and seed repeat a run.
  RequestMaker(Directory directory, std::string tag, uint64_t seed);

  // A new request id: "<tag>-<counter>".
  std::string NextRequestId();
  // A petition (about seven in ten) or a suggestion in the campaign.
  jianyan::v1::SubmitCaseRequest Submission();
  jianyan::v1::SubmitCaseRequest Petition();
  jianyan::v1::ActRequest Act(const std::string& case_number, uint64_t version,
                              const std::string& action);
  jianyan::v1::SubmitRatingRequest Rating(const std::string& case_number,
                                          const std::string& query_code);
  jianyan::v1::ListOverdueRequest Overdue() const;
  jianyan::v1::GetStatsRequest Stats() const;
  jianyan::v1::ListCasesRequest Cases() const;

  std::mt19937_64& rng() { return rng_; }

 private:
  std::string Text(size_t characters);
  std::string IdNumber();

  const Directory directory_;
  const std::string tag_;
  uint64_t counter_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace jianyan::bench

#endif  // JIANYAN_TESTS_BENCH_LOAD_LOAD_REQUESTS_H_
