// The places for peers at work during an apply (ExecutorHooks::parallelism): connecting,
// observing, installing, verifying. A peer waiting for its services to restart gives its
// place up meanwhile (AwayFromWork), so the clusters in flight (ExecutorHooks::
// clusters_at_once) spend one another's restarts working instead of all waiting in step: a
// fleet of clusters then takes about its slowest cluster's rolling restart, not that times
// the clusters over --parallelism.
#pragma once

#include <condition_variable>
#include <mutex>

namespace pkiform {

class WorkSlots {
 public:
  explicit WorkSlots(int places) : free_(places < 1 ? 1 : places) {}
  WorkSlots(const WorkSlots&) = delete;
  WorkSlots& operator=(const WorkSlots&) = delete;

  void Take() {
    std::unique_lock<std::mutex> lock(mu_);
    freed_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void Give() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++free_;
    }
    freed_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  int free_;
};

// One place held for a peer's whole turn.
class AtWork {
 public:
  explicit AtWork(WorkSlots& slots) : slots_(slots) { slots_.Take(); }
  ~AtWork() { slots_.Give(); }
  AtWork(const AtWork&) = delete;
  AtWork& operator=(const AtWork&) = delete;

 private:
  WorkSlots& slots_;
};

// The place given up while the peer waits (a restart), taken again before it goes on.
class AwayFromWork {
 public:
  explicit AwayFromWork(WorkSlots& slots) : slots_(slots) { slots_.Give(); }
  ~AwayFromWork() { slots_.Take(); }
  AwayFromWork(const AwayFromWork&) = delete;
  AwayFromWork& operator=(const AwayFromWork&) = delete;

 private:
  WorkSlots& slots_;
};

}  // namespace pkiform
