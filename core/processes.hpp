#pragma once
// Child processes that never outlive mibench (Linux). Every child mibench starts (an
// `external` estimator's command, a process-isolated estimator call) goes through
// fork_child(), which
//   - registers it (and its process group) until finish_child();
//   - gives the child PR_SET_PDEATHSIG = SIGKILL: it dies with the thread that started it,
//     even when mibench is killed with SIGKILL;
//   - clears the child's signal mask (mibench blocks SIGINT/SIGTERM/SIGHUP in its threads).
// finish_child() kills what the call left behind: its whole process group (a detached
// background child), and — mibench being the subreaper of its descendants — every orphan that
// was re-parented to mibench and belongs to no running call (a grandchild that called setsid).
// Temporary folders with copies of the data are registered too. On SIGINT, SIGTERM or SIGHUP
// (clean_up_on_signals) every registered child and group is killed, every registered folder
// removed, and mibench dies of the same signal.
//
// What remains possible: after SIGKILL of mibench itself, descendants other than the direct
// children (which PDEATHSIG kills) and the temporary folders survive; the folders are named
// mibench-tmp-<pid>-* and removed by the next mibench that creates one.

#include <sys/types.h>

#include <string>

namespace mib::processes {

/// Makes this process the subreaper of its descendants (PR_SET_CHILD_SUBREAPER): orphans are
/// re-parented here instead of to init, so release_child() can find and kill them.
void adopt_orphans();

/// fork() for a child mibench will wait for. In the child (returns 0): PDEATHSIG set, signal
/// mask cleared, its own process group when `own_group`, the registry reset. In the parent:
/// the child's pid, registered. Returns -1 when fork fails.
pid_t fork_child(bool own_group);

/// Waits for the child to exit, kills its process group if it had its own (before reaping it,
/// so the group id cannot have been reused), reaps it, unregisters it, then kills and reaps
/// the orphans adopted by mibench that belong to no running call. Returns waitpid's status.
int finish_child(pid_t pid, bool own_group);

/// Whether the child has exited (without reaping it).
bool has_exited(pid_t pid);

/// A private folder under the system temp dir, named mibench-tmp-<pid>-XXXXXX, registered
/// until destroyed (then removed with everything in it). The first one a process makes sweeps
/// the stale ones first.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  std::string operator/(const char* name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Removes mibench-tmp-<pid>-* folders left by mibench processes that no longer exist.
void remove_stale_folders();

/// Call once, before any other thread starts: SIGINT, SIGTERM and SIGHUP are blocked in every
/// thread, and one thread waits for them; on one it kills every registered child and process
/// group and the adopted orphans, removes every registered folder, and re-raises the signal
/// with its default action (mibench ends as killed by it).
void clean_up_on_signals();

}  // namespace mib::processes
