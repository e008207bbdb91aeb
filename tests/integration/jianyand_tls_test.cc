// jianyand with TLS and mutual TLS from the config's tls block, as a real
// process, with certificates made at test time by the openssl command.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "jianyan/v1/admin.grpc.pb.h"
#include "jianyan/v1/feedback.grpc.pb.h"
#include "tests/integration/jianyand_fixture.h"
#include "tests/integration/subprocess.h"
#include "tests/integration/test_certificates.h"
#include "workflow/case_number.h"

namespace jianyan::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;

// Makes its certificates with the openssl command, in dir_.
class JianyandTlsTest : public JianyandFixture {
 protected:
  std::string P(const std::string& name) { return (dir_ / name).string(); }

  // A CA, a server certificate for IP 127.0.0.1 and a client certificate.
  void MakeCertificates() { MakeTestCertificates(dir_); }

  std::string WriteConfig(const std::string& tls) {
    const std::string path = P("tls.textproto");
    std::ofstream(path) << "tls { " << tls << " }\n";
    return path;
  }

  std::shared_ptr<grpc::ChannelCredentials> TlsClient(bool with_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(P("ca.pem"));
    if (with_cert) {
      options.pem_private_key = ReadFile(P("client.key"));
      options.pem_cert_chain = ReadFile(P("client.pem"));
    }
    return grpc::SslCredentials(options);
  }
};

TEST_F(JianyandTlsTest, ServesTlsAndRefusesPlaintext) {
  ASSERT_NO_FATAL_FAILURE(MakeCertificates());
  const std::string config =
      WriteConfig(absl::StrCat("cert_file: \"", P("server.pem"),
                               "\" key_file: \"", P("server.key"), "\""));
  std::string address;
  auto server = StartServer({"--config=" + config}, &address);
  ASSERT_NE(server, nullptr);
  grpc::StatusCode code;
  EXPECT_EQ(Health(address, "", &code, TlsClient(false)),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  Health(address, "", &code);  // plaintext
  EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE);
  StopServer(*server);
}

TEST_F(JianyandTlsTest, MutualTlsNeedsAClientCertificate) {
  ASSERT_NO_FATAL_FAILURE(MakeCertificates());
  const std::string config = WriteConfig(absl::StrCat(
      "cert_file: \"", P("server.pem"), "\" key_file: \"", P("server.key"),
      "\" client_ca_file: \"", P("ca.pem"), "\" require_client_cert: true"));
  std::string address;
  auto server = StartServer({"--config=" + config}, &address);
  ASSERT_NE(server, nullptr);
  grpc::StatusCode code;
  Health(address, "", &code, TlsClient(false));
  EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Health(address, "", &code, TlsClient(true)),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  StopServer(*server);
}

TEST_F(JianyandTlsTest, SplitEdgeReachesATlsCoreWithItsCa) {
  ASSERT_NO_FATAL_FAILURE(MakeCertificates());
  const std::string config =
      WriteConfig(absl::StrCat("cert_file: \"", P("server.pem"),
                               "\" key_file: \"", P("server.key"), "\""));
  std::string core_address;
  auto core = StartServer(
      {"--config=" + config, "--services=workflow,supervision,admin"},
      &core_address);
  ASSERT_NE(core, nullptr);
  // The edges' service principal, created over TLS.
  auto admin = jianyan::v1::AdminService::NewStub(
      grpc::CreateChannel(core_address, TlsClient(false)));
  jianyan::v1::CreatePrincipalRequest req;
  req.set_request_id("principal-edge-tls");
  req.mutable_principal()->set_id("edge-tls");
  req.mutable_principal()->set_role(jianyan::v1::ROLE_SERVICE);
  jianyan::v1::CreatePrincipalResponse created;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + std::string(absl::StripAsciiWhitespace(
                                  ReadFile(dir_ / "data" / "admin.token"))));
  ASSERT_TRUE(admin->CreatePrincipal(&ctx, req, &created).ok());
  { std::ofstream(P("service.token")) << created.token() << "\n"; }
  // A number that was never issued: NOT_FOUND means the core answered.
  auto status_code = [](const std::string& edge) {
    auto stub = jianyan::v1::FeedbackService::NewStub(
        grpc::CreateChannel(edge, grpc::InsecureChannelCredentials()));
    jianyan::v1::GetPublicStatusRequest get;
    get.set_case_number(
        *FormatCaseNumber({jianyan::v1::CASE_KIND_PETITION, 2026, 0, 9999999}));
    get.set_query_code("1234-5678");
    jianyan::v1::PublicStatus out;
    grpc::ClientContext call;
    call.set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
    return stub->GetPublicStatus(&call, get, &out).error_code();
  };
  // Each edge its own data directory: two processes never share one.
  const std::vector<std::string> edge_flags = {
      "--services=feedback", "--core_address=" + core_address,
      "--service_token_file=" + P("service.token"),
      "--data_dir=" + P("edge-plain")};
  std::vector<std::string> with_ca = {
      "--services=feedback", "--core_address=" + core_address,
      "--service_token_file=" + P("service.token"), "--data_dir=" + P("edge"),
      "--core_ca_file=" + P("ca.pem")};
  std::string tls_edge, plain_edge;
  auto edge = StartServer(with_ca, &tls_edge);
  auto plain = StartServer(edge_flags, &plain_edge);
  ASSERT_NE(edge, nullptr);
  ASSERT_NE(plain, nullptr);
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  grpc::StatusCode got = status_code(tls_edge);
  while (got != grpc::StatusCode::NOT_FOUND && absl::Now() < give_up) {
    got = status_code(tls_edge);
  }
  EXPECT_EQ(got, grpc::StatusCode::NOT_FOUND);
  // Without the CA the edge speaks plaintext, which a TLS core refuses.
  EXPECT_EQ(status_code(plain_edge), grpc::StatusCode::UNAVAILABLE);
  StopServer(*plain);
  StopServer(*edge);
  StopServer(*core);
}

TEST_F(JianyandTlsTest, UnusableTlsFilesGiveOneLineNamingTheFile) {
  ASSERT_NO_FATAL_FAILURE(MakeCertificates());
  { std::ofstream(P("garbage.pem")) << "not a certificate\n"; }
  struct Case {
    std::string tls;
    std::string message;
  };
  const std::string server_pair =
      absl::StrCat("cert_file: \"", P("server.pem"), "\" key_file: \"",
                   P("server.key"), "\"");
  const std::vector<Case> cases = {
      {absl::StrCat("cert_file: \"", P("missing.pem"), "\" key_file: \"",
                    P("server.key"), "\""),
       "tls.cert_file: cannot read " + P("missing.pem")},
      {absl::StrCat("cert_file: \"", P("garbage.pem"), "\" key_file: \"",
                    P("server.key"), "\""),
       "tls.cert_file: " + P("garbage.pem") + " holds no PEM certificate"},
      {absl::StrCat("cert_file: \"", P("server.pem"), "\" key_file: \"",
                    P("garbage.pem"), "\""),
       "tls.key_file: " + P("garbage.pem") + " holds no"},
      {absl::StrCat("cert_file: \"", P("server.pem"), "\" key_file: \"",
                    P("client.key"), "\""),
       "is not the key of the certificate"},
      {absl::StrCat(server_pair, " client_ca_file: \"", P("garbage.pem"), "\""),
       "tls.client_ca_file: " + P("garbage.pem")},
  };
  for (const Case& c : cases) {
    std::string err;
    EXPECT_EQ(RunToExit({"--config=" + WriteConfig(c.tls),
                         "--listen=127.0.0.1:0", "--data_dir=" + P("data")},
                        &err),
              1)
        << c.tls << ": " << err;
    EXPECT_THAT(err, HasSubstr(c.message)) << c.tls;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
}

}  // namespace
}  // namespace jianyan::testing
