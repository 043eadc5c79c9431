#pragma once
// Running the mibench binary from the command-line tests (cli_test.cpp, hardening_test.cpp).
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace mib::test {

struct Output {
  int code;
  std::string text;  // stdout and stderr together
};

/// Runs `mibench ARGS` through the shell, stdout and stderr together; `env` (e.g.
/// "NAME=value") is put before the command.
inline Output mibench(const std::string& args, const std::string& env = "") {
  const std::string command = env + " " + std::string(MIB_MIBENCH) + " " + args + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string text;
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) text.append(buffer, got);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
}

inline void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

inline const std::string kData = std::string(MIB_TEST_DATA);

/// A two-task, two-estimator config (8 cells).
inline std::string small_config(const std::string& time_limit = "60") {
  return R"({"schema_version": 1, "seed": 5, "replicates": 2, "sample_sizes": [300],
             "tasks": ["1v1-normal-0.75", {"family": "multinormal-dense", "params": {"dim": [2]}}],
             "estimators": ["ksg", "gaussian"], "cell_time_limit_s": )" +
         time_limit + "}";
}

/// A command mibench must refuse, and a piece of its message.
struct Refusal {
  std::string args;
  const char* expected;
};

/// Each command exits 2 with its expected text in the output, and afterwards none of the
/// `unwritten` paths exists (bad input writes nothing).
inline void check_refused(const std::vector<Refusal>& cases,
                          const std::vector<std::string>& unwritten) {
  for (const auto& c : cases) {
    CAPTURE(c.args.substr(0, 300));
    const auto out = mibench(c.args);
    CHECK(out.code == 2);
    CHECK_THAT(out.text, Catch::Matchers::Contains(c.expected));
    for (const auto& path : unwritten) CHECK_FALSE(std::filesystem::exists(path));
  }
}

}  // namespace mib::test
