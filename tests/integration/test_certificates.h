// Test certificates made by the openssl command (Debian's openssl package):
// a CA, a server certificate for IP 127.0.0.1 and a client certificate, all
// signed by the CA, EC P-256 keys (quick to make). For the TLS tests of
// jianyand and of the jianyan client.
#ifndef JIANYAN_TESTS_INTEGRATION_TEST_CERTIFICATES_H_
#define JIANYAN_TESTS_INTEGRATION_TEST_CERTIFICATES_H_

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/subprocess.h"

namespace jianyan::testing {

// Runs `openssl args...` to its end; a fatal failure unless it exits 0.
inline void Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto child = Subprocess::Start(argv);
  ASSERT_TRUE(child.ok()) << child.status();
  auto code = (*child)->Wait(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  ASSERT_EQ(*code, 0) << (*child)->stderr_text();
}

// Writes ca.pem/ca.key, server.pem/server.key and client.pem/client.key
// into `dir`. Check with ASSERT_NO_FATAL_FAILURE.
inline void MakeTestCertificates(const std::filesystem::path& dir) {
  auto p = [&dir](const std::string& name) { return (dir / name).string(); };
  const std::vector<std::string> ec = {
      "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  auto req = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {"req"};
    all.insert(all.end(), ec.begin(), ec.end());
    all.insert(all.end(), args.begin(), args.end());
    Openssl(all);
  };
  req({"-x509", "-days", "2", "-subj", "/CN=jianyan test CA", "-addext",
       "basicConstraints=critical,CA:TRUE", "-addext",
       "keyUsage=critical,keyCertSign,cRLSign", "-keyout", p("ca.key"), "-out",
       p("ca.pem")});
  for (const char* who : {"server", "client"}) {
    const std::string w = who;
    req({"-subj", w == "server" ? "/CN=127.0.0.1" : "/CN=jianyan test client",
         "-keyout", p(w + ".key"), "-out", p(w + ".csr")});
    {
      std::ofstream ext(p(w + ".ext"));
      if (w == "server") {
        ext << "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
      } else {
        ext << "extendedKeyUsage=clientAuth\n";
      }
    }
    Openssl({"x509", "-req", "-in", p(w + ".csr"), "-CA", p("ca.pem"), "-CAkey",
             p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile",
             p(w + ".ext"), "-out", p(w + ".pem")});
  }
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_INTEGRATION_TEST_CERTIFICATES_H_
