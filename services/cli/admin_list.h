// The shape every `admin X list` and `admin X put` shares: records of one
// kind shown as a table (one row per record) or as JSON lines.
#ifndef JIANYAN_SERVICES_CLI_ADMIN_LIST_H_
#define JIANYAN_SERVICES_CLI_ADMIN_LIST_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "google/protobuf/repeated_ptr_field.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/app.h"
#include "services/cli/cli_context.h"
#include "services/cli/output.h"
#include "services/cli/paging.h"

namespace jianyan::cli {

// How records of type Item are shown in table mode.
template <typename Item>
struct RecordView {
  std::vector<std::string> header;
  std::function<std::vector<std::string>(const Item&)> cells;
};

// Prints `items` in the context's mode.
template <typename Item, typename Items>
void ShowRecords(CliContext& ctx, const RecordView<Item>& view,
                 const Items& items) {
  Output& out = ctx.out();
  if (out.json()) {
    for (const Item& item : items) out.Json(item);
    return;
  }
  Table table(view.header);
  for (const Item& item : items) table.Add(view.cells(item));
  out.Print(table);
}

using AdminStub = jianyan::v1::AdminService::Stub;

// Sends a put (or revoke) by `rpc`; shows the record it returns as a
// one-row table or a JSON line. `precondition_hint` as CliContext::Check.
template <typename Request, typename Record>
void PutAndShow(CliContext& ctx, const std::string& what,
                grpc::Status (AdminStub::*rpc)(grpc::ClientContext*,
                                               const Request&, Record*),
                const Request& request, const RecordView<Record>& view,
                const std::string& precondition_hint = "") {
  Record stored;
  auto stub = ctx.Stub<jianyan::v1::AdminService>();
  ctx.Check(((*stub).*rpc)(ctx.Call().get(), request, &stored), what,
            precondition_hint);
  ShowRecords(ctx, view, std::vector<Record>{stored});
}

// Adds `list` under `parent`: calls `rpc` page by page and shows the
// records `items` returns.
template <typename Response, typename Item>
void AddListCommand(
    CLI::App& parent, CliContext& ctx, const std::string& help,
    const std::string& example,
    grpc::Status (AdminStub::*rpc)(grpc::ClientContext*,
                                   const jianyan::v1::ListRequest&, Response*),
    const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const,
    RecordView<Item> view) {
  auto flags = std::make_shared<PageFlags>();
  CLI::App* c = parent.add_subcommand("list", help);
  AddPageFlags(c, *flags);
  SetExample(c, example);
  c->callback([flags, &ctx, rpc, items, view = std::move(view),
               what = parent.get_name() + " list"] {
    jianyan::v1::ListRequest request;
    request.set_page_size(flags->page_size);
    request.set_page_token(flags->page_token);
    auto stub = ctx.Stub<jianyan::v1::AdminService>();
    std::vector<Item> all;
    ForEachPage<Response>(
        request, flags->all,
        [&](const jianyan::v1::ListRequest& r, Response* page) {
          ctx.Check(((*stub).*rpc)(ctx.Call().get(), r, page), "admin " + what);
        },
        [&](const Response& page) {
          for (const Item& item : (page.*items)()) all.push_back(item);
        });
    ShowRecords(ctx, view, all);
  });
}

}  // namespace jianyan::cli

#endif  // JIANYAN_SERVICES_CLI_ADMIN_LIST_H_
