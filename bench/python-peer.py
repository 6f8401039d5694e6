# Runs one of the vendor-guide reference scripts and reports its own time and peak memory, so the
# Python peer is measured the same way as Batchboard's steps.
import json, resource, runpy, sys, time

script, *args = sys.argv[1:]
sys.argv = [script, *args]
t0 = time.perf_counter()
runpy.run_path(script, run_name="__main__")
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
