#!/usr/bin/python3
"""mandate.dask against one engine, side by side in one run: the Goutang plan without
recommend_top10 (it splits at the town) on `mandate-generate --towns N`, as of 2023-12-31.
Prints the median wall time of each over R runs, the records a second per worker, the scaling
from 1 to 2 workers and the workers' peak resident memory; first it checks that every run's
report equals one engine's, byte for byte.

    /usr/bin/python3 bench/dask-scaling.py [--towns N] [--villages V] [--runs R] [--build DIR]
        [--workers 1,2] [--block-bytes B]

Needs Debian's python3-distributed (hence /usr/bin/python3) and the built Python package
(DIR/python). The data goes to DIR/bench-data/towns-N-V, generated when missing. The clusters
are started before the clock: what is timed is mandate.dask.check itself.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def _peak_mb() -> float:
    """This process's peak resident memory since its program started (VmHWM: getrusage's
    ru_maxrss carries a parent's peak over into a process it spawns)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--towns", type=int, default=16)
    parser.add_argument("--villages", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(root, "build"))
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--block-bytes", type=int, default=4 << 20)
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mandate
    import mandate.dask
    from distributed import Client, LocalCluster

    data = os.path.join(args.build, "bench-data", f"towns-{args.towns}-{args.villages}")
    registry, events = os.path.join(data, "registry.jsonl"), os.path.join(data, "events.jsonl")
    if not os.path.exists(events):
        os.makedirs(data, exist_ok=True)
        subprocess.run([os.path.join(args.build, "bin", "mandate-generate"), "--towns", str(args.towns), "--villages",
                        str(args.villages), "--registry", registry + ".tmp", "--events", events + ".tmp"], check=True)
        os.replace(registry + ".tmp", registry)
        os.replace(events + ".tmp", events)
    with open(os.path.join(root, "rules", "goutang-2023.mandate"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("outcome recommend_top10")
    text = text[:start] + text[text.index("\n}\n", start) + 3:]
    plan = mandate.compile(text, "goutang-towns.mandate")
    as_of = "2023-12-31"

    def one_engine() -> str:
        engine = mandate.Engine(plan)
        engine.add_jsonl(registry)
        engine.add_jsonl(events)
        return engine.report_json(as_of)

    expected = one_engine()
    records = mandate.Engine(plan)
    records.add_jsonl(registry)
    records.add_jsonl(events)
    n = records.report(as_of)["inputs"]["read"]
    size = os.path.getsize(registry) + os.path.getsize(events)
    print(f"{args.towns} towns of {args.villages} villages: {n} records, {size / 1e6:.0f} MB; "
          f"{os.cpu_count()} cores; {args.runs} runs each")

    def timed(run) -> float:
        walls = []
        for _ in range(args.runs):
            t = time.perf_counter()
            got = run()
            walls.append(time.perf_counter() - t)
            if got != expected:
                sys.exit("the report differs from one engine's")
        return statistics.median(walls)

    base = timed(one_engine)
    rss = _peak_mb()
    print(f"one engine (this process, add_jsonl)   {base:7.2f} s   peak {rss:5.0f} MB")
    walls = {}
    for count in [int(w) for w in args.workers.split(",")]:
        with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None,
                          memory_limit=0) as cluster, Client(cluster) as client:
            stats = {}
            walls[count] = timed(lambda: mandate.dask.check(plan, registry=[registry], events=[events], as_of=as_of,
                                                            client=client, block_bytes=args.block_bytes, _stats=stats))
            peaks = client.run(_peak_mb)
        per_worker = n / walls[count] / count
        scaling = f"  {walls[min(walls)] / walls[count]:.2f}x the {min(walls)}-worker run" if count != min(walls) else ""
        print(f"mandate.dask, {count} worker{'s' if count > 1 else ' '}                 {walls[count]:7.2f} s   "
              f"peak {max(peaks.values()):5.0f} MB a worker   {per_worker:8.0f} records/s a worker   "
              f"{walls[count] / base:.1f}x one engine{scaling}")
        print("    the last run's steps: " + ", ".join(f"{step} {t:.2f} s" for step, t in stats["seconds"].items()))


if __name__ == "__main__":
    main()
