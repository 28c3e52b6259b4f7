#pragma once

// Long calls from Python (run, sweep, plan, backtest) run with the GIL released, on a thread of
// their own, while the calling thread waits and every tenth of a second lets Python look at
// its signals. Ctrl-C in a terminal or a notebook's "interrupt" sets the cancel flag that
// analysis::parallel_for checks before each replication; the call then ends with
// KeyboardInterrupt and returns nothing, so no partial result is ever seen.

#include "analysis/run/experiment.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <pybind11/pybind11.h>
#include <utility>

namespace supportsim::python {

/// Runs `work(cancel)` without the GIL and returns what it returns. If Python raises while it
/// waits (KeyboardInterrupt from Ctrl-C, or any exception a signal handler raises), the work is
/// cancelled, waited for, and that exception propagates instead.
template <class Work> auto interruptible(Work &&work) {
  namespace py = pybind11;
  std::atomic<bool> cancel{false};
  auto done = std::async(std::launch::async, [&] { return work(&cancel); });
  {
    const py::gil_scoped_release unlocked;
    while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      const py::gil_scoped_acquire locked;
      // Signals are handled on Python's main thread only; elsewhere this returns 0 and the
      // call runs to its end.
      if (PyErr_CheckSignals() == 0) continue;
      py::error_already_set interrupted; // takes the Python error, to raise once stopped
      cancel = true;
      {
        const py::gil_scoped_release waiting;
        done.wait();
      }
      throw interrupted;
    }
  }
  return done.get(); // the work's own exception, if it threw
}

} // namespace supportsim::python
