#!/usr/bin/python3
"""Kernel soak test: start a Jupyter kernel N times in a row and record how each start went.

Each round starts the kernel, waits for its kernel_info reply (the moment a notebook shows the
kernel as ready), runs one tiny cell (by default: print 1+1, and whether DJL finds its PyTorch
engine from a cell), checks that the cell printed exactly the expected text and nothing else (no
log lines, no stderr), and shuts the kernel down. A start that gets no
kernel_info reply within --timeout seconds is a HANG: the harness saves a thread dump of the
kernel's JVM (jcmd PID Thread.print) and the kernel's own stderr log, then kills it.

    export JUPYTER_DATA_DIR=$PWD/target/jupyter && ./moelab kernel install
    /usr/bin/python3 .ci/kernel-soak.py -n 200 --out target/soak

Writes OUT/runs.csv (one row per start), OUT/kernel-NNN.log (the kernel's stdout/stderr, kept
for failed rounds only unless --keep-logs) and OUT/threads-NNN.txt for hangs; prints a summary
(starts, hangs, failures, start latency median/p95/max) and exits 1 when any round failed.
Uses Debian's python3 with jupyter_client (python3-jupyter-client).
"""
import argparse
import csv
import os
import queue
import signal
import statistics
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

# 1+1, and DJL finds its PyTorch engine from a cell (it looks it up through the thread's context
# class loader, which must be the JShell's: a kernel thread started from the wrong thread breaks it).
DEFAULT_CELL = 'System.out.println(1+1); System.out.println(ai.djl.engine.Engine.getAllEngines().contains("PyTorch"));'
DEFAULT_EXPECT = "2\\ntrue\\n"

# The line moelab.kernel.KernelMain logs when it restarts a kernel loop thread that had stopped.
REPAIR_MARK = "moelab: restarted the stopped loop thread"


def kernel_pid(km):
    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None) if provisioner else None
    if process is None:
        process = getattr(km, "kernel", None)
    return getattr(process, "pid", None)


def thread_dump(pid, path):
    """Thread dump of the kernel JVM (jcmd, or jstack, or SIGQUIT into the kernel's log)."""
    for cmd in (["jcmd", str(pid), "Thread.print"], ["jstack", str(pid)]):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            if out.returncode == 0 and out.stdout.strip():
                with open(path, "w") as f:
                    f.write(out.stdout)
                return True
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        os.kill(pid, signal.SIGQUIT)   # the JVM prints its threads to the kernel's stdout
    except OSError:
        pass
    return False


def run_cell(kc, code, timeout):
    """Executes code; returns (status, stdout text, every other output as a list of strings)."""
    msg_id = kc.execute(code)
    stdout, other, status = [], [], None
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timeout", "".join(stdout), other
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            return "timeout", "".join(stdout), other
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream" and content["name"] == "stdout":
            stdout.append(content["text"])
        elif kind == "stream":
            other.append("stderr: " + content["text"])
        elif kind == "error":
            other.append("error: %s: %s" % (content["ename"], content["evalue"]))
        elif kind in ("execute_result", "display_data"):
            other.append("%s: %s" % (kind, content["data"].get("text/plain", "")))
    while True:   # skip the replies to the repeated kernel_info requests of wait_for_ready
        try:
            reply = kc.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
        except queue.Empty:
            return "no-reply", "".join(stdout), other
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]["status"], "".join(stdout), other


def one_round(i, args):
    row = {"round": i, "result": "ok", "start_s": "", "cell_s": "", "shutdown_s": "", "repaired": "", "detail": ""}
    log_path = os.path.join(args.out, "kernel-%03d.log" % i)
    log = open(log_path, "w")
    km = KernelManager(kernel_name=args.kernel)
    kc = None
    t0 = time.monotonic()
    try:
        km.start_kernel(stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=args.timeout)
        except RuntimeError as e:
            pid = kernel_pid(km)
            alive = km.is_alive()
            row["result"] = "HANG" if alive else "DIED"
            row["detail"] = "%s (pid %s)" % (e, pid)
            if alive and pid:
                thread_dump(pid, os.path.join(args.out, "threads-%03d.txt" % i))
            return row
        row["start_s"] = "%.2f" % (time.monotonic() - t0)
        t1 = time.monotonic()
        status, out, other = run_cell(kc, args.cell, args.cell_timeout)
        row["cell_s"] = "%.2f" % (time.monotonic() - t1)
        if status != "ok" or out != args.expect or other:
            row["result"] = "BAD-OUTPUT"
            row["detail"] = "status=%s stdout=%r other=%r" % (status, out, other)
            return row
        t2 = time.monotonic()
        kc.stop_channels()
        kc = None
        km.shutdown_kernel(now=False)
        row["shutdown_s"] = "%.2f" % (time.monotonic() - t2)
        return row
    except Exception as e:  # noqa: BLE001 - a soak test records every failure and goes on
        row["result"] = "ERROR"
        row["detail"] = "%s: %s" % (type(e).__name__, e)
        return row
    finally:
        if kc is not None:
            kc.stop_channels()
        if km.has_kernel:
            try:
                km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001
                pass
        km.cleanup_resources()
        log.close()
        with open(log_path, errors="replace") as f:   # "ShellChannel HeartbeatChannel", say
            row["repaired"] = " ".join(line.split("kernel's ")[-1].split()[0]
                                       for line in f if line.startswith(REPAIR_MARK))
        if row["result"] == "ok" and not args.keep_logs:
            os.remove(log_path)


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=200, help="number of kernel starts (default 200)")
    ap.add_argument("--kernel", default="moelab-java", help="kernelspec name (default moelab-java)")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds to wait for the kernel_info reply before calling it a hang (default 120)")
    ap.add_argument("--cell", default=DEFAULT_CELL, help="the cell each kernel runs (default: %(default)s)")
    ap.add_argument("--expect", default=DEFAULT_EXPECT, help="the exact stdout the cell must give, with \\n escapes")
    ap.add_argument("--cell-timeout", type=float, default=120)
    ap.add_argument("--out", default="target/kernel-soak", help="output directory")
    ap.add_argument("--keep-logs", action="store_true", help="keep the kernel log of every round")
    ap.add_argument("--stop-after", type=int, default=0, help="stop after this many failures (0: never)")
    args = ap.parse_args()
    args.expect = args.expect.encode().decode("unicode_escape")
    os.makedirs(args.out, exist_ok=True)

    rows, failures = [], 0
    started = time.monotonic()
    with open(os.path.join(args.out, "runs.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["round", "result", "start_s", "cell_s", "shutdown_s", "repaired", "detail"])
        writer.writeheader()
        for i in range(1, args.n + 1):
            row = one_round(i, args)
            rows.append(row)
            writer.writerow(row)
            f.flush()
            print("%4d %-10s start %6s s  cell %5s s%s  %s" % (
                i, row["result"], row["start_s"] or "-", row["cell_s"] or "-",
                "  (restarted: %s)" % row["repaired"] if row["repaired"] else "", row["detail"]),
                flush=True)
            if row["result"] != "ok":
                failures += 1
                if args.stop_after and failures >= args.stop_after:
                    break

    starts = [float(r["start_s"]) for r in rows if r["start_s"]]
    counts = {}
    for r in rows:
        counts[r["result"]] = counts.get(r["result"], 0) + 1
    print("\nkernel %s: %d starts in %.0f s, %s" % (args.kernel, len(rows), time.monotonic() - started,
                                                   ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    repaired = {}
    for r in rows:
        for channel in r["repaired"].split():
            repaired[channel] = repaired.get(channel, 0) + 1
    if repaired:
        print("loop threads the watchdog restarted: %s (a stopped ShellChannel loop is a start that"
              " would have hung)" % ", ".join("%s %d" % kv for kv in sorted(repaired.items())))
    if starts:
        print("start latency (s): median %.1f  p95 %.1f  max %.1f  min %.1f" % (
            statistics.median(starts), percentile(starts, 95), max(starts), min(starts)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
