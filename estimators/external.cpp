#include "estimators/external.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/json_text.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "core/text.hpp"

extern char** environ;

namespace mib {
namespace {

// A private folder removed with everything in it when the object goes out of scope.
class PrivateDir {
 public:
  PrivateDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "mibench-external-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      fail<DataError>("external", "a temporary folder", "creatable", pattern);
    path_ = pattern;
  }
  ~PrivateDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  std::string operator/(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string substitute(std::string arg, const std::string& x, const std::string& y) {
  for (const auto& [token, value] :
       {std::make_pair(std::string("{x}"), x), std::make_pair(std::string("{y}"), y)}) {
    for (auto at = arg.find(token); at != std::string::npos;
         at = arg.find(token, at + value.size())) {
      arg.replace(at, token.size(), value);
    }
  }
  return arg;
}

std::string tail(const std::string& text, std::size_t bytes = 2000) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

struct Finished {
  int status = 0;
  std::string out, err;
};

// Runs argv with stdout and stderr captured; kills the process group at `limit`.
Finished run_process(const std::vector<std::string>& args,
                     std::chrono::steady_clock::time_point limit, double timeout_s,
                     bool cell_limit) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0)
    fail<Error>("external", "a pipe", "creatable", "not");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);  // its own group, killed whole
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    fail<Error>("external", "the command " + quoted(args[0]), "runnable", std::strerror(spawned));
  }
  Finished f;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&f.out, &f.err};
  int open = 2;
  bool killed = false;
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        limit - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(-pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 100))) < 0 &&
        errno != EINTR)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[4096];
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  ::waitpid(pid, &f.status, 0);
  if (killed && cell_limit)
    throw TimeLimitExceeded("the command was killed at the cell's time limit");
  if (killed) {
    throw Error("external: the command exceeded its timeout_s of " + format_number(timeout_s) +
                " s and was killed; stderr: " + tail(f.err));
  }
  return f;
}

}  // namespace

ExternalEstimator::ExternalEstimator(Params params) : params_(std::move(params)) {
  require<ConfigError>(!params_.command.empty(), "external", "command",
                       "given (a list: program and arguments)", "missing");
}

Estimate ExternalEstimator::estimate(MatrixRef x, MatrixRef y, Rng& /*rng*/) const {
  PrivateDir dir;
  const std::string xf = dir / "x.npy", yf = dir / "y.npy";
  write_npy(xf, x);
  write_npy(yf, y);
  std::vector<std::string> args;
  for (const auto& a : params_.command) args.push_back(substitute(a, xf, yf));
  auto limit = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(params_.timeout_s));
  bool cell_limit = false;
  if (const auto cell = current_deadline(); cell && *cell < limit) {
    limit = *cell;
    cell_limit = true;
  }
  const Finished f = run_process(args, limit, params_.timeout_s, cell_limit);
  if (!WIFEXITED(f.status) || WEXITSTATUS(f.status) != 0) {
    const std::string how = WIFEXITED(f.status)
                                ? "exit code " + std::to_string(WEXITSTATUS(f.status))
                                : "signal " + std::to_string(WTERMSIG(f.status));
    throw Error("external: the command ended with " + how + "; stderr: " + tail(f.err));
  }
  auto j = parse_json_or_discarded(f.out);
  if (j.is_discarded() || !j.is_object() || !j.contains("mi") || !j["mi"].is_number()) {
    fail<Error>("external", "stdout", "one JSON object with a number \"mi\" (nested at most 64 deep)",
                quoted(tail(f.out, 200)));
  }
  const double mi = j["mi"].get<double>();
  j.erase("mi");
  Diagnostics diagnostics = take_diagnostics(j, "external: stdout");
  return {mi, std::move(j), std::move(diagnostics)};
}

}  // namespace mib
