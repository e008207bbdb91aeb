// `jianyan admin token create|revoke|list`: principals and their bearer
// tokens. The server keeps only a token's hash, so `create` is the one time
// the token is shown.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "services/cli/admin_commands.h"
#include "services/cli/admin_list.h"
#include "services/cli/app.h"
#include "services/cli/errors.h"
#include "services/cli/format.h"

namespace jianyan::cli {
namespace {

namespace v1 = jianyan::v1;

// What a principal is bound to: "org:x", "point:y" or "suggester:z".
std::string Binding(const v1::Principal& p) {
  std::vector<std::string> parts;
  if (!p.organisation_id().empty())
    parts.push_back("org:" + p.organisation_id());
  if (!p.reporting_point_id().empty()) {
    parts.push_back("point:" + p.reporting_point_id());
  }
  if (!p.suggester_id().empty())
    parts.push_back("suggester:" + p.suggester_id());
  return parts.empty() ? "-" : absl::StrJoin(parts, " ");
}

RecordView<v1::Principal> PrincipalView() {
  return {
      {"ID", "ROLE", "BOUND TO", "NAME", "CAPABILITIES", "REVOKED", "CREATED"},
      [](const v1::Principal& p) -> std::vector<std::string> {
        return {p.id(),
                EnumShort(v1::Role_descriptor(), p.role()),
                Binding(p),
                p.display_name().empty() ? "-" : p.display_name(),
                p.capabilities().empty() ? "-"
                                         : absl::StrJoin(p.capabilities(), ","),
                p.revoked() ? "yes" : "no",
                FormatTime(p.create_time())};
      }};
}

struct CreateFlags {
  std::string request_id, id, role, org, point, suggester, name;
  std::vector<std::string> capabilities;
};

void AddCreate(CLI::App& group, CliContext& ctx) {
  auto f = std::make_shared<CreateFlags>();
  CLI::App* c = group.add_subcommand(
      "create", "create a principal and print its bearer token, once");
  c->add_option("--request-id", f->request_id, "idempotency id");
  c->add_option("--id", f->id, "principal id")->required();
  c->add_option("--role", f->role,
                "terminal|suggester|handler|supervisor|admin|service")
      ->required();
  c->add_option("--org", f->org, "organisation (handlers, supervisors)");
  c->add_option("--point", f->point, "reporting point (terminals)");
  c->add_option("--suggester", f->suggester, "suggester id (suggesters)");
  c->add_option("--name", f->name, "display name");
  c->add_option("--capability", f->capabilities,
                "e.g. approve_extension (the head of a handling body)");
  SetExample(c,
             "jianyan admin token create --id handler-taishan-2 --role "
             "handler --org taishan-xfj \\\n    --name 泰山区信访局值班");
  c->callback([f, &ctx] {
    v1::CreatePrincipalRequest r;
    r.set_request_id(RequestIdOr(f->request_id));
    v1::Principal* p = r.mutable_principal();
    p->set_id(f->id);
    p->set_role(static_cast<v1::Role>(
        EnumOrUsage(v1::Role_descriptor(), f->role, "--role")));
    p->set_organisation_id(f->org);
    p->set_reporting_point_id(f->point);
    p->set_suggester_id(f->suggester);
    p->set_display_name(f->name);
    for (const auto& cap : f->capabilities) p->add_capabilities(cap);
    v1::CreatePrincipalResponse created;
    ctx.Check(ctx.Stub<v1::AdminService>()->CreatePrincipal(ctx.Call().get(), r,
                                                            &created),
              "admin token create");
    Output& out = ctx.out();
    if (out.json()) {
      out.Json(created);
      return;
    }
    out.Record(
        {{"principal", created.principal().id()},
         {"role", EnumShort(v1::Role_descriptor(), created.principal().role())},
         {"bound to", Binding(created.principal())},
         {"token", created.token()}});
    out.stream() << "The token is shown once: the server keeps only its "
                    "hash.\n";
  });
}

void AddRevoke(CLI::App& group, CliContext& ctx) {
  auto request_id = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  CLI::App* c = group.add_subcommand(
      "revoke", "revoke a principal: its token stops working at once");
  c->add_option("ID", *id, "principal id")->required();
  c->add_option("--request-id", *request_id, "idempotency id");
  SetExample(c, "jianyan admin token revoke handler-taishan-2");
  c->callback([request_id, id, &ctx] {
    v1::RevokePrincipalRequest r;
    r.set_request_id(RequestIdOr(*request_id));
    r.set_principal_id(*id);
    PutAndShow(ctx, "admin token revoke", &AdminStub::RevokePrincipal, r,
               PrincipalView());
  });
}

}  // namespace

void AddAdminTokenCommands(CLI::App& admin, CliContext& ctx) {
  CLI::App* group =
      admin.add_subcommand("token", "principals and their bearer tokens");
  group->require_subcommand(1);
  SetExample(group, "jianyan admin token list");
  AddCreate(*group, ctx);
  AddRevoke(*group, ctx);
  AddListCommand(*group, ctx, "list the principals (never their tokens)",
                 "jianyan admin token list --all -o json",
                 &AdminStub::ListPrincipals,
                 &v1::ListPrincipalsResponse::principals, PrincipalView());
}

}  // namespace jianyan::cli
