// The --demo directory: on an empty store, a realistic Tai'an (泰安市)
// directory for newcomers (facts from the project's reference notes):
// the city and its six county-level divisions with their division codes,
// the city 信访局 and 社会工作部, each county's 信访局, a dozen handling
// departments, 26 reporting points, 33 invited suggesters with placeholder
// names (no real people), one open thematic campaign with 5 themes and the
// category list. Everything goes through AdminOps, so it is validated as an
// administrator's input would be.
//
// Then bearer tokens for one terminal, one suggester, one handler per county
// bureau, one supervisor and an administrator are written to
// DATA_DIR/demo-tokens.txt (mode 0600), one "name<TAB>principal<TAB>token"
// line each.
//
// Thread-safety: call once, before the server starts.
#ifndef JIANYAN_SERVICES_JIANYAND_DEMO_H_
#define JIANYAN_SERVICES_JIANYAND_DEMO_H_

#include <string>

#include "absl/status/statusor.h"
#include "jianyan/v1/config.pb.h"
#include "services/core/workflow_core.h"
#include "workflow/clock.h"

namespace jianyan {

inline constexpr char kDemoTokensFile[] = "demo-tokens.txt";
// The demo organisation (the city's 社会工作部) that registers suggesters'
// daily suggestions.
inline constexpr char kDemoSuggestionOrganisation[] = "taian-shgb";

// Loads the demo when the store holds no organisation; returns whether it
// did (false: the directory was not empty, nothing written). The campaign
// opens a day before `clock.Now()` and closes 90 days after.
absl::StatusOr<bool> LoadDemoDirectory(WorkflowCore& core, const Clock& clock,
                                       const std::string& data_dir);

// jianyand --demo, before serving: opens the core of `config` (which must
// host a core-tier service), loads the demo when the directory is empty,
// closes it again and says on stderr where the tokens are.
absl::Status PrepareDemo(const jianyan::v1::ServerConfig& config);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_DEMO_H_
