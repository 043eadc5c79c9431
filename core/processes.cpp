#include "core/processes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace mib::processes {
namespace {

// Process-wide by nature (children and signals belong to the process): one registry.
struct Registry {
  std::mutex mutex;
  std::map<pid_t, bool> children;  // pid -> has its own process group
  std::set<std::string> folders;
};
Registry*& registry() {
  static Registry* r = new Registry;  // never destroyed: signal cleanup may run at exit
  return r;
}
std::atomic<bool> adopting{false};

// The state letter and parent pid of process `pid` from /proc/<pid>/stat (after the command
// in parentheses); {0, -1} when it does not exist. Read with open/read, not a stream: a process
// that exits between the open and the read makes read() fail with ESRCH, which libstdc++'s
// filebuf throws ("basic_filebuf::underflow error reading the file: No such process" — the
// flaky `run` failure under ctest -j 2, when an orphan scan raced other processes' exits).
std::pair<char, pid_t> state_of(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {0, -1};
  char text[4096];  // one line: pid, (command of at most 64 bytes), state, parent, ...
  ssize_t size;
  while ((size = ::read(fd, text, sizeof text - 1)) < 0 && errno == EINTR) {
  }
  ::close(fd);
  if (size <= 0) return {0, -1};
  text[size] = 0;
  const char* close = std::strrchr(text, ')');
  char state = 0;
  int parent = -1;
  if (!close || std::sscanf(close + 1, " %c %d", &state, &parent) != 2) return {0, -1};
  return {state, parent};
}

// Kills and reaps every child of this process that no running call registered: orphans that
// the subreaper adopted. The registry's mutex is held.
void reap_orphans(const Registry& r) {
  if (!adopting) return;
  const pid_t self = ::getpid();
  DIR* proc = ::opendir("/proc");
  if (!proc) return;
  std::vector<pid_t> orphans;
  while (const dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != 0 || pid <= 0) continue;
    if (state_of(static_cast<pid_t>(pid)).second == self &&
        !r.children.count(static_cast<pid_t>(pid)))
      orphans.push_back(static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  for (pid_t pid : orphans) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

void kill_everything(Registry& r) {
  for (const auto& [pid, own_group] : r.children) ::kill(own_group ? -pid : pid, SIGKILL);
  // Reaped, so that the folders of children that were mibench processes themselves (isolated
  // calls running `external`) count as stale below.
  for (const auto& [pid, own_group] : r.children) ::waitpid(pid, nullptr, 0);
  reap_orphans(r);
  for (const auto& folder : r.folders) {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
  }
  remove_stale_folders();
}

}  // namespace

void adopt_orphans() {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0) adopting = true;
}

pid_t fork_child(bool own_group) {
  Registry* r = registry();
  std::lock_guard<std::mutex> lock(r->mutex);  // an orphan scan never sees an unregistered child
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    registry() = new Registry;  // the copy's mutex is held and its entries are the parent's
    adopting = false;
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before PDEATHSIG was set
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    if (own_group) ::setpgid(0, 0);
    return 0;
  }
  if (pid > 0) {
    if (own_group) ::setpgid(pid, pid);  // in both processes: no race with the child's exec
    r->children[pid] = own_group;
  }
  return pid;
}

int finish_child(pid_t pid, bool own_group) {
  // Wait for the exit without reaping: while the child is a zombie its pid, and so its
  // process group id, cannot be reused by another process.
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  if (own_group) ::kill(-pid, SIGKILL);  // what it left running in its group
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  Registry* r = registry();
  std::lock_guard<std::mutex> lock(r->mutex);
  r->children.erase(pid);
  reap_orphans(*r);
  return status;
}

bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

constexpr const char* kFolderPrefix = "mibench-tmp-";

TempFolder::TempFolder() {
  static std::once_flag swept;
  std::call_once(swept, [] { remove_stale_folders(); });
  std::string pattern = (std::filesystem::temp_directory_path() /
                         (kFolderPrefix + std::to_string(::getpid()) + "-XXXXXX"))
                            .string();
  Registry* r = registry();
  std::lock_guard<std::mutex> lock(r->mutex);
  if (!::mkdtemp(pattern.data()))
    fail<DataError>(pattern, "a temporary folder", "creatable", std::strerror(errno));
  path_ = pattern;
  r->folders.insert(path_);
}

TempFolder::~TempFolder() {
  Registry* r = registry();
  std::lock_guard<std::mutex> lock(r->mutex);
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  r->folders.erase(path_);
}

void remove_stale_folders() {
  const std::string prefix = kFolderPrefix;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    char* end = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
    if (pid <= 0 || *end != '-') continue;
    const char state = state_of(static_cast<pid_t>(pid)).first;
    if (state == 0 || state == 'Z') {  // gone, or dead and not yet reaped
      std::error_code ignored;
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
}

void clean_up_on_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Detached: it waits as long as the process lives; the process ends with the command.
  std::thread([set] {
    int sig = 0;
    if (::sigwait(&set, &sig) != 0) return;
    // The registry stays locked until the process is gone: a worker whose child was just
    // killed waits in finish_child instead of recording the cell as a crash, and no new child
    // starts.
    Registry* r = registry();
    r->mutex.lock();
    kill_everything(*r);
    ::signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    ::raise(sig);
  }).detach();
}

}  // namespace mib::processes
