# Runs one of the vendor-guide reference scripts and reports its own time and peak memory, so the
# Python peer is measured the same way as Batchboard's steps.
import json, resource, runpy, sys, time

script, *args = sys.argv[1:]
sys.argv = [script, *args]
t0 = time.perf_counter()
runpy.run_path(script, run_name="__main__")
seconds = time.perf_counter() - t0


def peak_kb():
    # The process's own high-water mark. ru_maxrss also counts what the parent held when it forked
    # this process (Linux keeps the larger across exec): a peer started by a bench holding 200 MB
    # reported 210 MB.
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


print(json.dumps({"seconds": seconds, "peakRssMB": round(peak_kb() / 1024, 1)}))
