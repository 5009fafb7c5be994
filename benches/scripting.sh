#!/usr/bin/env bash
# The scripting commands on one demo database, whole process, side by side in one run:
#   `tasktui list --limit 50` (alone, with search words from a rare letter to one in every task,
#   with a sort) beside `sqlite3` — and `psql` on the server — printing the same 50 rows (with
#   assignee and tags) of the same data; `export` in JSON and CSV; `import` of the export into a
#   new file (and a new server database).
#   bash benches/scripting.sh            # 100,000 tasks
#   bash benches/scripting.sh 1000000    # another size
# The server is TASKTUI_BENCH_POSTGRES (else TASKTUI_TEST_POSTGRES), a URL whose role may
# create databases; without one only the file is measured.
set -euo pipefail
cd "$(dirname "$0")/.."

tasks=${1:-100000}
admin=${TASKTUI_BENCH_POSTGRES:-${TASKTUI_TEST_POSTGRES:-}}

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v python3 >/dev/null || missing+=(python3)
[ -n "$admin" ] && ! command -v psql >/dev/null && missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --locked --quiet
bin=target/release/tasktui
data=target/bench-data
mkdir -p "$data"
db="$data/tasks-$tasks.db"
[ -f "$db" ] || "$bin" demo --db "$db" --tasks "$tasks" --users 50 --quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The rows `tasktui list` prints, in its order (open first, by due date, then priority), or by
# priority; $where filters them. Written for each tool's SQL.
sqlite_query() { # where order
  echo "SELECT t.id, t.status, t.priority, t.due_date, u.username, t.title,
    (SELECT group_concat(g.name, ' ') FROM task_tags tt JOIN tags g ON g.id = tt.tag_id
     WHERE tt.task_id = t.id)
    FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id $1
    ORDER BY t.status = 'done', $2 LIMIT 50"
}
psql_query() { # where order
  echo "SELECT t.id, t.status, t.priority, t.due_date, u.username, t.title,
    (SELECT string_agg(g.name, ' ') FROM task_tags tt JOIN tags g ON g.id = tt.tag_id
     WHERE tt.task_id = t.id)
    FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id $1
    ORDER BY t.status = 'done', $2 LIMIT 50"
}
by_due="coalesce(t.due_date, '9999-12-31'), t.priority DESC, t.id"
by_priority="t.priority DESC, coalesce(t.due_date, '9999-12-31'), t.id"
# name | tasktui's arguments | WHERE | ORDER BY
cases=(
  "list||| $by_due"
  "--search q (no task)|--search q|WHERE (t.title LIKE '%q%' OR t.description LIKE '%q%')| $by_due"
  "--search cer|--search cer|WHERE (t.title LIKE '%cer%' OR t.description LIKE '%cer%')| $by_due"
  "--search e (every task)|--search e|WHERE (t.title LIKE '%e%' OR t.description LIKE '%e%')| $by_due"
  "--sort priority|--sort priority|| $by_priority"
)

server=""
if [ -n "$admin" ]; then
  base="${admin%%\?*}"
  base="${base%/*}"
  server="$base/tasktui_bench_$tasks"
  have=$("$bin" list --db "$server" --limit 1 --json 2>/dev/null | head -c 1 || true)
  if [ "$have" != "[" ] || [ "$(psql -qtAX "$server" -c 'SELECT count(*) FROM tasks')" != "$tasks" ]; then
    psql -qX "$admin" -c "DROP DATABASE IF EXISTS tasktui_bench_$tasks WITH (FORCE)" \
      -c "CREATE DATABASE tasktui_bench_$tasks" >/dev/null
    "$bin" export --db "$db" --output "$work/data.json"
    "$bin" import --db "$server" --quiet "$work/data.json" >/dev/null
    psql -qX "$server" -c "VACUUM ANALYZE" >/dev/null
  fi
fi

args=()
for case in "${cases[@]}"; do
  IFS='|' read -r name options where order <<<"$case"
  # Both print the same first row.
  first=$(sqlite3 "$db" "$(sqlite_query "$where" "$order")" | head -1 | cut -d'|' -f1)
  mine=$("$bin" list --db "$db" --limit 50 $options | sed -n 2p | awk '{print $1}')
  [ "$first" = "$mine" ] || { echo "$name: sqlite3 says $first first, tasktui $mine" >&2; exit 1; }
  args+=(-n "sqlite3 $name" "sqlite3 $db \"$(sqlite_query "$where" "$order")\""
         -n "file $name" "$bin list --db $db --limit 50 $options")
  if [ -n "$server" ]; then
    pwhere=${where//LIKE/ILIKE}
    first=$(psql -qtAX "$server" -c "$(psql_query "$pwhere" "$order")" | head -1 | cut -d'|' -f1)
    mine=$("$bin" list --db "$server" --limit 50 $options | sed -n 2p | awk '{print $1}')
    [ "$first" = "$mine" ] || { echo "$name: psql says $first first, tasktui $mine" >&2; exit 1; }
    args+=(-n "psql $name" "psql -qtAX $server -c \"$(psql_query "$pwhere" "$order")\""
           -n "server $name" "$bin list --db $server --limit 50 $options")
  fi
done
hyperfine -N --warmup 5 --runs 40 --export-json "$work/list.json" "${args[@]}" >/dev/null 2>&1

hyperfine -N --warmup 1 --runs 3 --export-json "$work/export.json" \
  -n "export json" "$bin export --db $db --output $work/out.json" \
  -n "export csv" "$bin export --db $db --format csv --output $work/out.csv" >/dev/null 2>&1
hyperfine -N --runs 3 --export-json "$work/import.json" \
  --prepare "rm -f $work/in.db $work/in.db-wal $work/in.db-shm $work/in.db.lock" \
  -n "import json" "$bin import --db $work/in.db --quiet $work/out.json" >/dev/null 2>&1
cmp "$work/out.json" <("$bin" export --db "$work/in.db")
if [ -n "$server" ]; then
  hyperfine -N --warmup 1 --runs 3 --export-json "$work/server-export.json" \
    -n "server export json" "$bin export --db $server --output $work/server.json" >/dev/null 2>&1
  hyperfine --runs 1 --export-json "$work/server-import.json" \
    --prepare "psql -qX $admin -c 'DROP DATABASE IF EXISTS tasktui_scripting WITH (FORCE)' -c 'CREATE DATABASE tasktui_scripting'" \
    -n "server import json" "$bin import --db $base/tasktui_scripting --quiet $work/out.json" >/dev/null 2>&1
  psql -qX "$admin" -c 'DROP DATABASE IF EXISTS tasktui_scripting WITH (FORCE)' >/dev/null
fi

python3 - "$work" "$tasks" "${#cases[@]}" <<'EOF'
import json, os, sys
work, tasks = sys.argv[1], int(sys.argv[2])
runs = {}
for name in ("list", "export", "import", "server-export", "server-import"):
    path = f"{work}/{name}.json"
    if os.path.exists(path):
        for r in json.load(open(path))["results"]:
            runs[r["command"]] = r["median"]
print(f"{tasks:,} tasks, median of the runs, whole process; list --limit 50 beside the same 50 rows")
print(f"  {'':26} {'sqlite3':>9} {'file':>9} {'ratio':>6}   {'psql':>9} {'server':>9} {'ratio':>6}")
names = [c[len("file "):] for c in runs if c.startswith("file ")]
for name in names:
    line = f"  {name:26} {runs['sqlite3 ' + name] * 1000:7.1f}ms {runs['file ' + name] * 1000:7.1f}ms"
    line += f" {runs['file ' + name] / runs['sqlite3 ' + name]:5.2f}x"
    if "server " + name in runs:
        line += f"   {runs['psql ' + name] * 1000:7.1f}ms {runs['server ' + name] * 1000:7.1f}ms"
        line += f" {runs['server ' + name] / runs['psql ' + name]:5.2f}x"
    print(line)
for name in ("export json", "export csv", "import json", "server export json", "server import json"):
    if name in runs:
        print(f"  tasktui {name:26} {runs[name]:8.2f} s")
EOF
