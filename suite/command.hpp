#pragma once
// The command line's verbs as objects: each declares its own options on its CLI11 subcommand
// and runs itself. run_cli (suite/cli.cpp) builds the table of every verb, parses, and runs the
// one chosen. A new verb is one class and one entry in its group's add_*_commands function.

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/registry.hpp"
#include "estimators/estimator.hpp"

namespace mib::cli {

class Command {
 public:
  virtual ~Command() = default;
  /// Adds the verb's arguments, options and flags to its subcommand; the variables they fill
  /// are the command's members, read by run().
  virtual void declare(CLI::App& subcommand) = 0;
  /// Runs after a successful parse. Returns the exit code (0, or kFailed for failed cells,
  /// estimates or checks); throws mib::Error on bad input, which run_cli turns into exit 2.
  virtual int run(const Registry<Estimator>& estimators) = 0;
};

struct CommandEntry {
  std::string name;     ///< the verb: `mibench NAME ...`
  std::string summary;  ///< one line for `mibench --help`
  std::function<std::unique_ptr<Command>()> make;
};

/// The entry of command type T.
template <class T>
CommandEntry entry(std::string name, std::string summary) {
  return {std::move(name), std::move(summary), [] { return std::make_unique<T>(); }};
}

/// The verbs on the task catalogue: list, sample, truth (suite/catalog_commands.cpp).
void add_catalog_commands(std::vector<CommandEntry>& commands);
/// The verbs on run folders: run, merge, report, baseline, check (suite/run_folder_commands.cpp).
void add_run_folder_commands(std::vector<CommandEntry>& commands);
/// The verbs on a user's own sample files: estimate, consistency (suite/user_data.cpp).
void add_user_data_commands(std::vector<CommandEntry>& commands);

}  // namespace mib::cli
