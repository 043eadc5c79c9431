#include "estimators/external.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/npy.hpp"
#include "core/processes.hpp"
#include "core/text.hpp"

namespace mib {
namespace {

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

// The most stdout an external may write (its answer is one small JSON object): more is an
// error, not a reason to grow without bound (endless output grew mibench to 1 GB in 3 s).
constexpr std::size_t kMaxStdout = 16u << 20;
// The tail of stderr that is kept for messages.
constexpr std::size_t kStderrTail = 64u << 10;

// Runs argv (no shell) with stdout and stderr captured, in its own process group, through
// processes::fork_child (it dies with mibench). Ends when the command exits — what it left
// behind (a background child holding the pipes, a setsid grandchild) is killed then — or
// kills the group at `limit` or when stdout passes kMaxStdout.
Finished run_process(const std::vector<std::string>& args,
                     std::chrono::steady_clock::time_point limit, double timeout_s,
                     bool cell_limit) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) fail<Error>("external", "a pipe", "creatable", "not");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    fail<Error>("external", "a pipe", "creatable", "not");
  }
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int exec_pipe[2];  // the child reports a failed exec through it (closed on a good exec)
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) fail<Error>("external", "a pipe", "creatable", "not");
  const pid_t pid = processes::fork_child(/*own_group=*/true);
  if (pid == 0) {  // only async-signal-safe calls until exec
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::execvp(argv[0], argv.data());
    const int error = errno;
    (void)!::write(exec_pipe[1], &error, sizeof error);
    ::_exit(127);
  }
  for (int fd : {out_pipe[1], err_pipe[1], exec_pipe[1]}) ::close(fd);
  if (pid < 0) {
    for (int fd : {out_pipe[0], err_pipe[0], exec_pipe[0]}) ::close(fd);
    fail<Error>("external", "the command " + quoted(args[0]), "runnable", "fork failed");
  }
  int exec_error = 0;
  const bool exec_failed = ::read(exec_pipe[0], &exec_error, sizeof exec_error) > 0;
  ::close(exec_pipe[0]);
  if (exec_failed) {
    processes::finish_child(pid, true);
    for (int fd : {out_pipe[0], err_pipe[0]}) ::close(fd);
    fail<Error>("external", "the command " + quoted(args[0]), "runnable",
                std::strerror(exec_error));
  }
  for (int fd : {out_pipe[0], err_pipe[0]}) ::fcntl(fd, F_SETFL, O_NONBLOCK);
  Finished f;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  bool killed = false, overflow = false;
  // Reads what is there now.
  auto drain = [&] {
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
      while (fds[i].fd >= 0) {
        const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
        if (got > 0) {
          std::string& sink = i == 0 ? f.out : f.err;
          sink.append(buffer, static_cast<std::size_t>(got));
          if (i == 1 && sink.size() > 2 * kStderrTail) sink.erase(0, sink.size() - kStderrTail);
          if (i == 0 && sink.size() > kMaxStdout) return;
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == EAGAIN) break;
        ::close(fds[i].fd);  // EOF or an error
        fds[i].fd = -1;
      }
    }
  };
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        limit - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      killed = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 50))) < 0 &&
        errno != EINTR)
      break;
    drain();
    if (f.out.size() > kMaxStdout) {
      overflow = true;
      break;
    }
    // The command has exited: what is still in the pipes is read, and whatever it left
    // holding them open does not make the cell wait.
    if (processes::has_exited(pid)) {
      drain();
      break;
    }
  }
  if (killed || overflow) ::kill(-pid, SIGKILL);
  for (auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  f.status = processes::finish_child(pid, true);
  if (overflow) {
    fail<Error>("external", "stdout",
                "at most " + std::to_string(kMaxStdout >> 20) + " MB (one JSON object)",
                "longer; the command was killed");
  }
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
  processes::TempFolder dir;
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
    fail<Error>("external", "stdout",
                "one JSON object with a number \"mi\" (nested at most 64 deep)",
                quoted(tail(f.out, 200)));
  }
  const double mi = j["mi"].get<double>();
  j.erase("mi");
  Diagnostics diagnostics = take_diagnostics(j, "external: stdout");
  return {mi, std::move(j), std::move(diagnostics)};
}

}  // namespace mib
