// The first administrator of a data directory.
//
// On the first start (no principal "admin" in the store) jianyand makes a
// token with GenerateToken(), writes it to DATA_DIR/admin.token (created
// with O_CREAT|O_EXCL, mode 0600; the file and the directory are fsync'd),
// and only then stores principal "admin" (ROLE_ADMIN, display name
// "administrator") with token_hash = HashToken(token). The token itself is
// never stored nor logged; the log names the file.
//
// Crash safety: the file is durable before the principal is written. A
// start that finds admin.token but no principal "admin" (the previous one
// died in between) stores the principal from the file's token, so every
// start ends with a usable admin. A malformed admin.token next to no
// principal can only be a file whose first write was cut short: it is
// replaced. Once principal "admin" exists, both it and the file are left
// alone (the operator may move the file away).
#ifndef JIANYAN_SERVICES_JIANYAND_ADMIN_BOOTSTRAP_H_
#define JIANYAN_SERVICES_JIANYAND_ADMIN_BOOTSTRAP_H_

#include <string>

#include "absl/status/status.h"
#include "storage/case_store.h"
#include "workflow/clock.h"

namespace jianyan {

inline constexpr char kAdminPrincipalId[] = "admin";
inline constexpr char kAdminTokenFile[] = "admin.token";

// Ensures principal "admin" exists as described above. Errors name the file
// ("admin token DATA_DIR/admin.token: ...") or the store.
absl::Status BootstrapAdmin(const std::string& data_dir,
                            storage::CaseStore& store, const Clock& clock);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_JIANYAND_ADMIN_BOOTSTRAP_H_
