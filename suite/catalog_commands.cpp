// The verbs on the task catalogue: list, sample, truth.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "core/text.hpp"
#include "distributions/catalog.hpp"
#include "distributions/mixture.hpp"
#include "estimators/builtin.hpp"
#include "suite/cli_common.hpp"
#include "suite/command.hpp"
#include "suite/config.hpp"
#include "suite/sampling.hpp"

namespace mib::cli {
namespace {

class ListCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("what", what_, "tasks or estimators")
        ->required()
        ->check(CLI::IsMember({"tasks", "estimators"}));
    app.add_flag("--json", json_, "Print a JSON array instead of a table");
  }

  int run(const Registry<Estimator>& estimators) override {
    const nlohmann::json out = what_ == "tasks" ? tasks() : estimators.summaries();
    if (json_) {
      std::cout << out.dump(2) << "\n";
    } else if (what_ == "tasks") {
      print_tasks(out);
    } else {
      for (const auto& e : out) {
        std::printf("%-10s %s\n           defaults %s\n", e["name"].get<std::string>().c_str(),
                    e["description"].get<std::string>().c_str(), e["params"].dump().c_str());
        for (const auto& [key, rule] : e["rules"].items())
          std::printf("             %s: %s\n", key.c_str(), rule.get<std::string>().c_str());
      }
      std::printf(
          "\nEstimators of I(X; Y | Z) (they need a conditioning variable): %s. Any other becomes "
          "one as chain:<spec> (I(X; Y, Z) - I(X; Z)), e.g. chain:infonce, chain:ksg:k=5.\n",
          join(conditional_estimator_names(), ", ").c_str());
    }
    return 0;
  }

 private:
  static nlohmann::json tasks() {
    nlohmann::json out = nlohmann::json::array();
    for (const Task& t : builtin_catalog().tasks()) out.push_back(task_summary(t));
    return out;
  }

  static void print_tasks(const nlohmann::json& tasks) {
    // The id column as wide as the longest id, so long ids do not shift the other columns.
    int width = 2;
    for (const auto& t : tasks)
      width = std::max(width, static_cast<int>(t["id"].get<std::string>().size()));
    // dim_z: the conditioning variable's columns ("-" for none; MI is then I(X; Y | Z)).
    std::printf("%-*s %5s %5s %5s %10s %8s  %s\n", width, "id", "dim_x", "dim_y", "dim_z",
                "MI (nats)", "± SE", "source");
    for (const auto& t : tasks) {
      const std::string dz =
          t.contains("dim_z") ? std::to_string(t["dim_z"].get<std::size_t>()) : "-";
      std::printf("%-*s %5zu %5zu %5s %10.6f %8.2g  %s\n", width,
                  t["id"].get<std::string>().c_str(), t["dim_x"].get<std::size_t>(),
                  t["dim_y"].get<std::size_t>(), dz.c_str(), t["mi"].get<double>(),
                  t["mi_se"].get<double>(), t["source"].get<std::string>().c_str());
    }
    std::printf("\nFamilies (use in a config as {\"family\": NAME, \"params\": {...}}):\n");
    for (const auto* f : builtin_catalog().families().entries()) {
      std::printf("  %-20s %s; defaults %s\n", f->name.c_str(), f->description.c_str(),
                  f->defaults.dump().c_str());
    }
    std::printf("\nTransform prefixes (prefix any id: PREFIX-ID):\n");
    for (const auto& t : builtin_catalog().transforms()) {
      std::printf("  %-20s %s\n", t.name.c_str(), t.description.c_str());
    }
    std::printf("\nNamed lists (in a config as \"@NAME\"): %s\n",
                join(builtin_catalog().list_names(), ", ").c_str());
  }

  std::string what_;
  bool json_ = false;
};

class SampleCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("task", id_, "Task id (see `mibench list tasks`)")->required();
    app.add_option("--n", n_, "Number of samples")
        ->required()
        ->check(in_range<std::size_t>(1, kMaxSampleSize));
    app.add_option("--seed", seed_, "Seed (a results row's `seed` reproduces its sample)")
        ->required()
        ->check(seed_range());
    app.add_option("--out", prefix_,
                   "Output prefix: PREFIX.x.<format>, PREFIX.y.<format> (and PREFIX.z.<format> "
                   "for a task with a conditioning variable Z)")
        ->required();
    app.add_option("--format", format_, "npy or csv")->check(CLI::IsMember({"npy", "csv"}));
    app.add_flag("--standardize", standardize_,
                 "Standardise each column (as a config's standardize)");
  }

  int run(const Registry<Estimator>&) override {
    // "" or "dir/" would write the hidden files ".x.npy" and ".y.npy".
    require<ConfigError>(!prefix_.empty() && prefix_.back() != '/', "--out", "the output prefix",
                         "a path ending in a file name stem (e.g. out/sample)", quoted(prefix_));
    const Task& task = builtin_catalog().find(id_, "mibench sample");
    require_sample_fits(task, n_, "--n");
    const Sample s = draw_sample(task, n_, seed_, standardize_);
    const bool has_z = task.distribution->dims().z > 0;
    for (const auto& [name, m] :
         {std::make_pair("x", &s.x), std::make_pair("y", &s.y), std::make_pair("z", &s.z)}) {
      if (std::string(name) == "z" && !has_z) continue;
      const std::string path = prefix_ + "." + name + "." + format_;
      if (format_ == "npy") {
        write_npy(path, *m);
      } else {
        write_csv(path, *m);
      }
    }
    std::fprintf(stderr,
                 "mibench sample: %s, n = %zu, seed = %llu -> %s.{%s}.%s (true %s %.6f nats)\n",
                 id_.c_str(), n_, static_cast<unsigned long long>(seed_), prefix_.c_str(),
                 has_z ? "x,y,z" : "x,y", format_.c_str(), has_z ? "I(X; Y | Z)" : "MI",
                 task.distribution->mutual_information().mi);
    return 0;
  }

 private:
  std::string id_, prefix_, format_ = "npy";
  std::size_t n_ = 0;
  std::uint64_t seed_ = 0;
  bool standardize_ = false;
};

// Monte Carlo of the mean PMI for each task: the independent check of a closed form, and the
// generator of the stored truths of Monte Carlo tasks (distributions/mixture_truths.cpp).
class TruthCommand final : public Command {
 public:
  void declare(CLI::App& app) override {
    app.add_option("tasks", names_, "Task ids or @lists")->required();
    app.add_option("--draws", draws_, "Monte Carlo draws (default 10^6)")
        ->check(in_range<std::size_t>(2, 1000000000));
    app.add_option("--seed", seed_, "Seed (default 0)")->check(seed_range());
    app.add_flag("--json", json_, "Print a JSON array");
  }

  int run(const Registry<Estimator>&) override {
    const TaskCatalog& catalog = builtin_catalog();
    std::vector<std::string> ids;
    for (const auto& name : names_) {
      if (name.rfind('@', 0) == 0) {
        const auto& list = catalog.list(name.substr(1), "mibench truth");
        ids.insert(ids.end(), list.begin(), list.end());
      } else {
        ids.push_back(name);
      }
    }
    nlohmann::json rows = nlohmann::json::array();
    if (!json_) {
      std::printf("%-44s %12s %10s %12s %10s %7s\n", "id", "stated MI", "± SE", "Monte Carlo",
                  "± SE", "z");
    }
    for (const auto& id : ids) {
      const Task task = catalog.find(id, "mibench truth");
      const GroundTruth stated = task.distribution->mutual_information();
      GroundTruth mc;
      try {
        mc = monte_carlo_mi(*task.distribution, draws_, seed_);
      } catch (const InvalidArgument&) {
        std::fprintf(stderr, "mibench truth: %s has no exact PMI; skipped\n", id.c_str());
        continue;
      }
      const double z = (mc.mi - stated.mi) / std::hypot(mc.std_error, stated.std_error);
      rows.push_back({{"id", id},
                      {"mi", stated.mi},
                      {"mi_se", stated.std_error},
                      {"method", stated.method},
                      {"mc_mi", mc.mi},
                      {"mc_se", mc.std_error},
                      {"z", z}});
      if (!json_) {
        std::printf("%-44s %12.6f %10.2g %12.6f %10.2g %7.2f\n", id.c_str(), stated.mi,
                    stated.std_error, mc.mi, mc.std_error, z);
        std::fflush(stdout);
      }
    }
    if (json_) std::cout << rows.dump(2) << "\n";
    return 0;
  }

 private:
  std::vector<std::string> names_;
  std::size_t draws_ = 1000000;
  std::uint64_t seed_ = 0;
  bool json_ = false;
};

}  // namespace

void add_catalog_commands(std::vector<CommandEntry>& commands) {
  commands.push_back(
      entry<ListCommand>("list", "List the catalogue's tasks or the registered estimators"));
  commands.push_back(entry<SampleCommand>("sample", "Draw a sample of a catalogue task to files"));
  commands.push_back(entry<TruthCommand>(
      "truth", "Monte Carlo mean of the exact PMI per task, against the stated MI (z-score)"));
}

}  // namespace mib::cli
