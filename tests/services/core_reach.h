// CoreReach: the two ways an edge under test reaches the core — over the
// CoreServer's in-process channel (split mode's path) or through a
// LocalCore as all-in-one jianyand's edges do — so an edge's tests run
// against both and show the same answers.
#ifndef JIANYAN_TESTS_SERVICES_CORE_REACH_H_
#define JIANYAN_TESTS_SERVICES_CORE_REACH_H_

#include <memory>
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "services/edge/local_core.h"
#include "tests/services/core_server.h"

namespace jianyan::testing {

enum class CoreReach { kChannel, kLocal };

// How gtest shows the parameter ("Channel" / "Local").
inline void PrintTo(CoreReach reach, std::ostream* out) {
  *out << (reach == CoreReach::kLocal ? "Local" : "Channel");
}

// For INSTANTIATE_TEST_SUITE_P: "Channel" / "Local".
inline std::string CoreReachName(
    const ::testing::TestParamInfo<CoreReach>& info) {
  return info.param == CoreReach::kLocal ? "Local" : "Channel";
}

// The LocalCore an edge of `server` uses under `reach` (as its "service"
// principal), null for kChannel; fails the test when it cannot be made.
inline std::unique_ptr<LocalCore> LocalCoreFor(CoreReach reach,
                                               CoreServer& server) {
  if (reach != CoreReach::kLocal) return nullptr;
  auto local = LocalCore::Create(server.core(), server.token("service"));
  EXPECT_TRUE(local.ok()) << local.status();
  return local.ok() ? *std::move(local) : nullptr;
}

}  // namespace jianyan::testing

#endif  // JIANYAN_TESTS_SERVICES_CORE_REACH_H_
