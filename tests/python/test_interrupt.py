"""Ctrl-C stops a long run cleanly: KeyboardInterrupt, soon, and nothing written."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

# A Python process that starts a long call, then, were it ever to return, writes its report.
SCRIPT = textwrap.dedent("""
    import sys, supportsim
    report = sys.argv[2]
    print("started", flush=True)
    try:
        if sys.argv[1] == "run":
            result = supportsim.run("default", replications=500, seed=1, jobs=2)
        else:
            result = supportsim.sweep("default", vary=["agent_groups.austin-l1.headcount=10..30"],
                                      replications=50, seed=1, jobs=2)
        result.to_html(report)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(3)
""")


@pytest.mark.parametrize("call", ["run", "sweep"])
def test_sigint_raises_keyboard_interrupt_and_writes_nothing(call, tmp_path):
    report = tmp_path / "report.html"
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, call, str(report)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=os.environ)
    assert process.stdout.readline().strip() == "started"
    time.sleep(1.5)  # well inside the call: 500 replications take minutes
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    stopped_after = time.monotonic() - sent
    assert process.returncode == 3, err
    assert out.strip() == "interrupted"
    assert not report.exists()
    assert list(tmp_path.iterdir()) == []
    # The running replications finish (at most one each per thread), the rest never start.
    assert stopped_after < 20
