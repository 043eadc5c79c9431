#include "core/parallel.hpp"

#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace mib {
namespace {

// One parallel_for call: its chunks are claimed one at a time by the caller and by the pool's
// workers that took a ticket for it.
struct Job {
  const std::function<void(std::ptrdiff_t, std::ptrdiff_t)>* work;
  std::ptrdiff_t n, parts;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* cancel;
  std::atomic<std::ptrdiff_t> next{0};  // the next chunk to claim
  int tickets = 0;                      // workers inside run(), under the pool's mutex
  std::mutex error_mutex;
  std::exception_ptr error;

  // Runs chunks until none is left to claim; records the first exception.
  void run() {
    for (std::ptrdiff_t part; (part = next.fetch_add(1)) < parts;) {
      try {
        ScopedDeadline scope(deadline);
        ScopedCancel cancelled(cancel);
        (*work)(n * part / parts, n * (part + 1) / parts);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  }
};

// Workers started on demand and kept (detached, waiting on a condition variable) for the
// process's lifetime: a parallel_for hands them its chunks instead of starting threads — a
// two-chunk call's overhead ~7 µs while a worker still spins, ~30 µs once it sleeps, against
// 28–55 µs to start a thread on the development VM, several times per estimate. A job leaves the
// queue once all its chunks are claimed; its caller returns once no worker holds a ticket for it,
// so no worker touches a job after its call returned. A forked child (the harness's isolated calls)
// has none of its parent's workers: it starts a pool of its own.
class Pool {
 public:
  static Pool& get() {
    static Pool* pool = new Pool();  // never destroyed: workers may be waiting at exit
    static pid_t owner = getpid();
    if (getpid() != owner) {  // a forked child: the parent's pool (and its mutex) is not ours
      pool = new Pool();
      owner = getpid();
    }
    return *pool;
  }

  void run(Job& job) {
    const int helpers = static_cast<int>(job.parts) - 1;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(&job);
      queued_.fetch_add(1, std::memory_order_relaxed);
      for (int idle = workers_ - busy_; idle < helpers; ++idle) {
        ++workers_;
        std::thread([this] { work(); }).detach();
      }
    }
    for (int h = 0; h < helpers; ++h) wake_.notify_one();
    job.run();
    std::unique_lock<std::mutex> lock(mutex_);
    remove(job);
    done_.wait(lock, [&] { return job.tickets == 0; });
  }

 private:
  void remove(Job& job) {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (*it == &job) {
        queue_.erase(it);
        queued_.fetch_sub(1, std::memory_order_relaxed);
        return;
      }
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (queue_.empty()) {  // spin a little first: a sleeping worker takes ~30 µs to wake
        lock.unlock();
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinUs);
        while (queued_.load(std::memory_order_relaxed) == 0 &&
               std::chrono::steady_clock::now() < until) {
          pause();
        }
        lock.lock();
      }
      wake_.wait(lock, [&] { return !queue_.empty(); });
      Job& job = *queue_.front();
      ++job.tickets;
      ++busy_;
      lock.unlock();
      job.run();
      lock.lock();
      remove(job);  // every chunk is claimed now
      --busy_;
      if (--job.tickets == 0) done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<Job*> queue_;
  std::atomic<int> queued_{0};  // queue_.size(), read without the mutex by spinning workers
  // How long a worker spins for the next job before it sleeps: the calls of one estimate come
  // tens to hundreds of microseconds apart.
  static constexpr int kSpinUs = 200;
  int workers_ = 0, busy_ = 0;
};

}  // namespace

void parallel_for(std::ptrdiff_t n, int threads,
                  const std::function<void(std::ptrdiff_t begin, std::ptrdiff_t end)>& work) {
  const std::ptrdiff_t parts = std::max<std::ptrdiff_t>(1, std::min<std::ptrdiff_t>(threads, n));
  if (parts == 1) {
    work(0, n);
    return;
  }
  Job job;
  job.work = &work;
  job.n = n;
  job.parts = parts;
  job.deadline = current_deadline();
  job.cancel = current_cancel();
  Pool::get().run(job);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace mib
