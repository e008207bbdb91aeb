#include "services/common/server_config.h"

#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace jianyan {
namespace {

class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!error_.empty()) return;
    // The parser counts from 0; editors count from 1.
    error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

absl::Status CheckListen(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "listen: '", address, "' is not host:port (e.g. 127.0.0.1:7400)"));
  }
  int port = -1;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen: '", address, "' has no port in 0..65535"));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& AllServiceNames() {
  static const auto* names = new std::vector<std::string>{
      "workflow", "intake", "feedback", "supervision", "admin"};
  return *names;
}

std::string ServiceFullName(absl::string_view name) {
  if (name == "intake") return "jianyan.v1.IntakeService";
  if (name == "feedback") return "jianyan.v1.FeedbackService";
  if (name == "workflow") return "jianyan.v1.WorkflowService";
  if (name == "supervision") return "jianyan.v1.SupervisionService";
  if (name == "admin") return "jianyan.v1.AdminService";
  return "";
}

absl::StatusOr<jianyan::v1::ServerConfig> LoadServerConfigFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("config ", path, ": cannot read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  jianyan::v1::ServerConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text.str(), &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("config ", path, ":", errors.error()));
  }
  return config;
}

absl::Status CompleteServerConfig(jianyan::v1::ServerConfig& config) {
  if (config.listen().empty()) config.add_listen("127.0.0.1:7400");
  for (const std::string& address : config.listen()) {
    if (absl::Status s = CheckListen(address); !s.ok()) return s;
  }
  if (config.services().empty()) {
    for (const std::string& name : AllServiceNames()) config.add_services(name);
  }
  absl::flat_hash_set<std::string> seen;
  for (const std::string& name : config.services()) {
    if (ServiceFullName(name).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "services: unknown service '", name,
          "' (known: ", absl::StrJoin(AllServiceNames(), ", "), ")"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("services: '", name, "' is listed twice"));
    }
  }
  if (config.data_dir().empty()) config.set_data_dir("./data");
  if (config.store().shard_id() > 9) {
    return absl::InvalidArgumentError("store.shard_id: must be 0..9");
  }
  const auto& tls = config.tls();
  if (tls.cert_file().empty() != tls.key_file().empty()) {
    return absl::InvalidArgumentError(
        "tls: cert_file and key_file must be set together");
  }
  if (!tls.client_ca_file().empty() && tls.cert_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_file: mutual TLS needs cert_file and key_file");
  }
  return absl::OkStatus();
}

}  // namespace jianyan
