// The client's TLS options against a jianyand that requires mutual TLS
// (certificates made at test time by the openssl command): with the CA,
// the client certificate and key the call goes through; without the
// client certificate, or without the CA, the handshake fails and the
// client says the server is unreachable (exit 3).
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/integration/test_certificates.h"

namespace jianyan::testing {
namespace {

using ::testing::HasSubstr;

class CliTlsTest : public CliFixture {
 protected:
  std::string P(const std::string& name) { return (dir_ / name).string(); }

  void StartMutualTls() {
    ASSERT_NO_FATAL_FAILURE(MakeTestCertificates(dir_));
    const std::string config = P("tls.textproto");
    std::ofstream(config) << "tls { cert_file: \"" << P("server.pem")
                          << "\" key_file: \"" << P("server.key")
                          << "\" client_ca_file: \"" << P("ca.pem")
                          << "\" require_client_cert: true }\n";
    server_ = StartServer({"--demo", "--config=" + config}, &address_);
    ASSERT_NE(server_, nullptr);
  }

  // `jianyan` with `tls` flags, as a demo handler, listing cases. A long
  // timeout: a handshake under the sanitizers on a busy machine can take
  // longer than the default 10 s, and the refusals come at once anyway.
  CliRun ListCases(const std::vector<std::string>& tls) {
    std::vector<std::string> args = tls;
    args.insert(args.end(),
                {"--timeout", "60", "case", "list", "--page-size", "1"});
    return Run("handler-taishan", args);
  }
};

TEST_F(CliTlsTest, MutualTlsWithTheClientsCertificateOnly) {
  ASSERT_NO_FATAL_FAILURE(StartMutualTls());
  CliRun ok = ListCases({"--tls-ca", P("ca.pem"), "--tls-cert", P("client.pem"),
                         "--tls-key", P("client.key")});
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("NUMBER"));  // the table's header

  CliRun no_cert = ListCases({"--tls-ca", P("ca.pem")});
  EXPECT_EQ(no_cert.code, 3) << no_cert.out << no_cert.err;
  CliRun plaintext = ListCases({});
  EXPECT_EQ(plaintext.code, 3) << plaintext.out << plaintext.err;
  EXPECT_THAT(plaintext.err, HasSubstr("next:"));
  StopServer(*server_);
}

TEST_F(CliTlsTest, UnreadableCertificateFilesAreUsageErrors) {
  ASSERT_NO_FATAL_FAILURE(StartMutualTls());
  CliRun missing = ListCases({"--tls-ca", P("nonexistent.pem")});
  EXPECT_EQ(missing.code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("nonexistent.pem"));
  StopServer(*server_);
}

}  // namespace
}  // namespace jianyan::testing
