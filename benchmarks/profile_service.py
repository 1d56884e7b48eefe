"""Where a request's time goes in the service: py-spy samples the server and its query workers under load.

    python benchmarks/profile_service.py [--fresh] [--seconds 10] [--clients 8]

Starts ``lscp-kg serve`` on the Lewisham graph, loads it with one named query
(answered afresh with ``--fresh``, else from the response cache) and prints,
for the server and for the workers, the functions with the most samples
(own time and total), from py-spy's collapsed stacks. Needs py-spy (the
``bench`` extra) and the right to trace processes (root, or ptrace allowed).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402

from harness import Service, named_query_path  # noqa: E402
from load import run_load  # noqa: E402


def summarise(collapsed: Path, top: int = 12) -> str:
    own, total, samples = collections.Counter(), collections.Counter(), 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f.split(" (")[0] for f in stack.split(";")[1:]]  # drop the process/thread frame
        if not frames:
            continue
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    if not samples:
        return "  (no samples)"
    lines = [f"  {samples} samples; most own time:"]
    lines += [f"    {100 * n / samples:5.1f}%  {name}" for name, n in own.most_common(top)]
    lines.append("  most total time (the function and what it calls):")
    lines += [f"    {100 * n / samples:5.1f}%  {name}" for name, n in total.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--query", default="statutory-partners")
    parser.add_argument("--fresh", action="store_true", help="Cache-Control: no-cache (the query really runs)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    service = Service()
    folder = Path(tempfile.mkdtemp(prefix="lscp-kg-profile-"))
    try:
        service.wait_ready()
        service.warm_workers()
        pids = {"server": service.process.pid}
        for k, child in enumerate(psutil.Process(service.process.pid).children(recursive=True)):
            pids[f"worker {k + 1}"] = child.pid
        py_spy = Path(sys.executable).with_name("py-spy")
        recorders = {name: subprocess.Popen([str(py_spy) if py_spy.exists() else "py-spy", "record", "--pid", str(pid), "--duration", str(args.seconds),
                                             "--rate", "500", "--format", "raw", "--output", str(folder / f"{pid}.txt"),
                                             "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for name, pid in pids.items()}
        headers = {"Accept": "application/sparql-results+json", **({"Cache-Control": "no-cache"} if args.fresh else {})}
        result = run_load(service.port, named_query_path(args.query, {}), clients=args.clients,
                          seconds=args.seconds - 1, headers=headers, warmup=0)
        for recorder in recorders.values():
            recorder.wait()
        print(f"{args.query}, {'afresh' if args.fresh else 'cached'}, {args.clients} clients: "
              f"{result['rps']:,.0f} req/s, p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms")
        for name, pid in pids.items():
            print(f"{name} (pid {pid}):")
            print(summarise(folder / f"{pid}.txt"))
    finally:
        service.stop()


if __name__ == "__main__":
    main()
