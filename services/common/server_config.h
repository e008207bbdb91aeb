// Server configuration of jianyand: a jianyan.v1.ServerConfig read from a
// textproto file, completed with defaults and checked.
#ifndef JIANYAN_SERVICES_COMMON_SERVER_CONFIG_H_
#define JIANYAN_SERVICES_COMMON_SERVER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jianyan/v1/config.pb.h"

namespace jianyan {

// The services one jianyand can host, in start order.
const std::vector<std::string>& AllServiceNames();

// The fully qualified gRPC name of a service ("intake" →
// "jianyan.v1.IntakeService"), or "" for an unknown name.
std::string ServiceFullName(absl::string_view name);

// Parses a textproto ServerConfig. Returns INVALID_ARGUMENT
// "config PATH:LINE:COL: message" for a parse error, NOT_FOUND when the file
// cannot be read.
absl::StatusOr<jianyan::v1::ServerConfig> LoadServerConfigFile(
    const std::string& path);

// True when the host of `address` ("host:port") is a loopback address:
// 127.0.0.0/8, ::1 (bracketed or not) or "localhost".
bool IsLoopbackListenAddress(absl::string_view address);

// Fills defaults (listen 127.0.0.1:7400, every service, data_dir ./data) and
// checks the values: listen addresses host:port with port 0..65535, known
// and unique service names, shard 0..9. Returns INVALID_ARGUMENT naming the
// field ("services: unknown service 'intke' (known: ...)"). With
// testing_clock, every listen address must be loopback and the workflow
// service hosted here (INVALID_ARGUMENT naming --testing_clock otherwise).
absl::Status CompleteServerConfig(jianyan::v1::ServerConfig& config);

}  // namespace jianyan

#endif  // JIANYAN_SERVICES_COMMON_SERVER_CONFIG_H_
