// How results are shown: each Show* prints one result in the context's
// mode — a record or table for people, one JSON line for scripts.
#ifndef JIANYAN_SERVICES_CLI_VIEWS_H_
#define JIANYAN_SERVICES_CLI_VIEWS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "jianyan/v1/case.pb.h"
#include "jianyan/v1/feedback.pb.h"
#include "jianyan/v1/intake.pb.h"
#include "jianyan/v1/supervision.pb.h"
#include "jianyan/v1/workflow_service.pb.h"
#include "services/cli/output.h"

namespace jianyan::cli {

void ShowPublicStatus(Output& out, const jianyan::v1::PublicStatus& status);
// A receipt; `first` also prints the query code, shown only this once.
void ShowReceipt(Output& out, const jianyan::v1::Receipt& receipt, bool first);
void ShowCase(Output& out, const jianyan::v1::Case& c);
void ShowActions(Output& out, const jianyan::v1::ListActionsResponse& actions);

// Table columns of a case summary (lists) and of an event (history).
std::vector<std::string> SummaryHeader();
std::vector<std::string> SummaryCells(const jianyan::v1::CaseSummary& c);
std::vector<std::string> EventHeader();
std::vector<std::string> EventCells(const jianyan::v1::Event& e);

// Table columns of a deadline entry (supervise overdue / due-soon), with
// the time left (negative: overdue) counted from `now`.
std::vector<std::string> DeadlineHeader();
std::vector<std::string> DeadlineCells(const jianyan::v1::DeadlineEntry& e,
                                       absl::Time now);

// "opinion*=support|explain|not_support reason": an action's fields,
// required ones starred, allowed values after "=" ("-" for none).
std::string FieldsText(const jianyan::v1::AvailableAction& action);

// "accept, forward, decline": the names of the actions available.
std::string ActionNames(const jianyan::v1::ListActionsResponse& actions);

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_VIEWS_H_
