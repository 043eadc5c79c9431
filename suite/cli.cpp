#include "suite/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "core/processes.hpp"
#include "core/text.hpp"
#include "estimators/builtin.hpp"
#include "suite/cli_common.hpp"
#include "suite/command.hpp"

namespace mib {

int run_cli(int argc, char** argv) { return run_cli(argc, argv, builtin_estimators()); }

int run_cli(int argc, char** argv, const Registry<Estimator>& estimators) {
  // Children (external estimators, isolated calls) never outlive mibench: orphans come back to
  // it, and SIGINT/SIGTERM/SIGHUP kill them and remove their temporary folders first.
  processes::adopt_orphans();
  processes::clean_up_on_signals();
  CLI::App app{"mibench: a benchmark suite for mutual-information estimators (all values in nats)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("mibench ") + build_info().version);

  std::vector<cli::CommandEntry> table;
  cli::add_catalog_commands(table);
  cli::add_run_folder_commands(table);
  cli::add_user_data_commands(table);
  std::vector<std::unique_ptr<cli::Command>> commands;
  std::vector<std::string> names;
  for (const auto& entry : table) {
    commands.push_back(entry.make());
    commands.back()->declare(*app.add_subcommand(entry.name, entry.summary));
    names.push_back(entry.name);
  }

  if (argc > 1 && argv[1][0] != '-' &&
      std::find(names.begin(), names.end(), argv[1]) == names.end()) {
    std::cerr << "mibench: error: "
              << message("mibench", "the command", "one of " + join(names, ", "), quoted(argv[1]))
              << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    for (std::size_t i = 0; i < table.size(); ++i)
      if (app.got_subcommand(table[i].name)) return commands[i]->run(estimators);
  } catch (const Error& e) {
    std::cerr << "mibench: error: " << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "mibench: error: out of memory: the command needs more memory than this "
                 "machine has (reduce n, the dimensions or --threads)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mibench: internal error: " << e.what() << "\n";
    return cli::kFailed;
  }
  return 0;
}

}  // namespace mib
