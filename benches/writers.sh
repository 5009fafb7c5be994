#!/usr/bin/env bash
# Many people at once: 30 processes, each running 50 commands (`done`, `edit --title`, and
# `edit --tag` of one task they all tag), on a copy of one benchmark database, a SQLite file and
# a database on a PostgreSQL server. Prints the throughput and the p50/p99 of a command, then
# checks that no update was lost: every title and status each writer set is there, and the
# shared task carries every writer's tag.
#   bash benches/writers.sh                 # 100,000 tasks
#   bash benches/writers.sh 1000000         # another size (the benchmark databases it uses)
# The server is TASKTUI_BENCH_POSTGRES (else TASKTUI_TEST_POSTGRES), a URL whose role may
# create databases; without one only the file is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

tasks=${1:-100000}
cargo build --release --locked --quiet
bin=$PWD/target/release/tasktui
data=target/bench-data
mkdir -p "$data"
db="$data/tasks-$tasks.db"
[ -f "$db" ] || "$bin" demo --db "$db" --tasks "$tasks" --users 50 --quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/writers.db"

targets=("$work/writers.db")
admin=${TASKTUI_BENCH_POSTGRES:-${TASKTUI_TEST_POSTGRES:-}}
if [ -n "$admin" ]; then
  command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
  base="${admin%%\?*}"
  base="${base%/*}"
  psql -qX "$admin" -c "DROP DATABASE IF EXISTS tasktui_writers WITH (FORCE)" \
    -c "CREATE DATABASE tasktui_writers" >/dev/null
  "$bin" export --db "$db" --output "$work/data.json"
  "$bin" import --db "$base/tasktui_writers" --quiet "$work/data.json" >/dev/null
  targets+=("$base/tasktui_writers")
fi

for target in "${targets[@]}"; do
  python3 - "$bin" "$target" <<'EOF'
import json, statistics, subprocess, sys, threading, time

bin, db = sys.argv[1], sys.argv[2]
WRITERS, COMMANDS = 30, 50
SHARED = 1  # the task every writer tags

def run(person, args):
    env = {"TASKTUI_USER": person, "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    started = time.perf_counter()
    done = subprocess.run([bin, "--db", db, *args], env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{person}: tasktui {' '.join(args)}: {done.stderr.strip()}")
    return took

times, expected, failures = [], {}, []
lock = threading.Lock()

def writer(w):
    mine = [2 + w * COMMANDS + i for i in range(COMMANDS)]
    try:
        for i in range(COMMANDS):
            task = mine[i]
            if i == 0:
                args, want = ["edit", str(SHARED), "--tag", f"w{w}"], None
            elif i % 2:
                args, want = ["done", str(task)], (task, "status", "done")
            else:
                title = f"writer {w} command {i}"
                args, want = ["edit", str(task), "--title", title], (task, "title", title)
            took = run(f"writer{w}", args)
            with lock:
                times.append(took)
                if want:
                    expected[(want[0], want[1])] = want[2]
    except SystemExit as e:
        with lock:
            failures.append(str(e))

started = time.perf_counter()
threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - started
if failures:
    raise SystemExit("\n".join(failures))

ids = {task for task, _ in expected} | {SHARED}
shown = json.loads(subprocess.run(
    [bin, "--db", db, "export"], capture_output=True, text=True, check=True).stdout)["tasks"]
by_id = {t["id"]: t for t in shown if t["id"] in ids}
lost = [(task, field) for (task, field), value in expected.items()
        if by_id.get(task, {}).get(field) != value]
tags = set(by_id.get(SHARED, {}).get("tags", []))
lost += [("tag", f"w{w}") for w in range(WRITERS) if f"w{w}" not in tags]
times.sort()
kind = "PostgreSQL" if "://" in db else "SQLite file"
print(f"{kind}: {WRITERS} processes x {COMMANDS} commands: {len(times) / wall:.0f} commands/s, "
      f"p50 {statistics.median(times) * 1000:.0f} ms, p99 {times[int(len(times) * 0.99) - 1] * 1000:.0f} ms, "
      f"lost updates: {len(lost)}")
if lost:
    raise SystemExit(f"lost: {lost[:10]}")
EOF
done
