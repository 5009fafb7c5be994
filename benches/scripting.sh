#!/usr/bin/env bash
# The scripting commands on one demo database, whole process, side by side in one run:
#   `tasktui list --limit 50` beside `sqlite3` printing the same 50 rows (with assignee and
#   tags) of the same file; `export` in JSON and CSV; `import` of the export into a new file.
#   bash benches/scripting.sh            # 100,000 tasks
#   bash benches/scripting.sh 10000      # another size
set -euo pipefail
cd "$(dirname "$0")/.."

tasks=${1:-100000}

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --locked --quiet
bin=target/release/tasktui
data=target/bench-data
mkdir -p "$data"
db="$data/tasks-$tasks.db"
[ -f "$db" ] || "$bin" demo --db "$db" --tasks "$tasks" --users 50 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The rows `tasktui list` prints, in its order (open first, by due date, then priority).
query="SELECT t.id, t.status, t.priority, t.due_date, u.username, t.title,
  (SELECT group_concat(g.name, ' ') FROM task_tags tt JOIN tags g ON g.id = tt.tag_id
   WHERE tt.task_id = t.id)
  FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
  ORDER BY t.status = 'done', ifnull(t.due_date, '9999-12-31'), t.priority DESC, t.id LIMIT 50"
# Both print the same first row.
[ "$(sqlite3 "$db" "$query" | head -1 | cut -d'|' -f1)" = \
  "$("$bin" list --db "$db" --limit 50 | sed -n 2p | awk '{print $1}')" ]

hyperfine -N --warmup 10 --runs 200 --export-json "$work/list.json" \
  -n sqlite3 "sqlite3 $db \"$query\"" \
  -n list "$bin list --db $db --limit 50" >/dev/null 2>&1
hyperfine -N --warmup 1 --runs 5 --export-json "$work/export.json" \
  -n "export json" "$bin export --db $db --output $work/out.json" \
  -n "export csv" "$bin export --db $db --format csv --output $work/out.csv" >/dev/null 2>&1
hyperfine -N --runs 5 --export-json "$work/import.json" \
  --prepare "rm -f $work/in.db $work/in.db-wal $work/in.db-shm $work/in.db.lock" \
  -n "import json" "$bin import --db $work/in.db $work/out.json" >/dev/null 2>&1
cmp "$work/out.json" <("$bin" export --db "$work/in.db")

python3 - "$work" "$tasks" <<'EOF'
import json, sys
work, tasks = sys.argv[1], int(sys.argv[2])
runs = {}
for name in ("list", "export", "import"):
    for r in json.load(open(f"{work}/{name}.json"))["results"]:
        runs[r["command"]] = r["median"]
base = runs["sqlite3"]
print(f"{tasks:,} tasks, median of the runs, whole process")
print(f"  {'sqlite3, the same 50 rows':34} {base * 1000:8.1f} ms")
print(f"  {'tasktui list --limit 50':34} {runs['list'] * 1000:8.1f} ms"
      f"   {runs['list'] / base:.2f}x sqlite3 (budget 2x)")
for name, budget in (("export json", 2), ("export csv", 2), ("import json", 5)):
    print(f"  {'tasktui ' + name:34} {runs[name]:8.2f} s    (budget {budget} s)")
EOF
