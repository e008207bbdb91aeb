// Status propagation helpers. Debian's abseil 20220623 ships none.
//
//   JY_RETURN_IF_ERROR(store.Put(...));
//   JY_ASSIGN_OR_RETURN(auto def, LoadDefinition(path));
//
// Both evaluate their argument exactly once and return the absl::Status
// unchanged (no message rewriting) from the enclosing function.
#ifndef JIANYAN_WORKFLOW_STATUS_MACROS_H_
#define JIANYAN_WORKFLOW_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define JY_STATUS_CONCAT_INNER_(a, b) a##b
#define JY_STATUS_CONCAT_(a, b) JY_STATUS_CONCAT_INNER_(a, b)

#define JY_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status jy_status_ = (expr);      \
    if (!jy_status_.ok()) return jy_status_; \
  } while (false)

#define JY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define JY_ASSIGN_OR_RETURN(lhs, expr)                                      \
  JY_ASSIGN_OR_RETURN_IMPL_(JY_STATUS_CONCAT_(jy_statusor_, __LINE__), lhs, \
                            expr)

#endif  // JIANYAN_WORKFLOW_STATUS_MACROS_H_
