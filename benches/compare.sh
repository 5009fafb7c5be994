#!/usr/bin/env bash
# tasktui against taskwarrior on the same tasks: time to a first screen of tasks and peak memory.
#   bash benches/compare.sh            # 1,000 and 10,000 tasks
#   bash benches/compare.sh --full     # also 100,000 (importing them into taskwarrior is slow)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=(1000 10000)
[ "${1:-}" = "--full" ] && sizes+=(100000)

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v task >/dev/null || missing+=(taskwarrior)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --locked --quiet
data=target/bench-data
mkdir -p "$data"

# tasktui: the whole process in a pseudo-terminal, start to the first frame with tasks in it.
cargo bench --locked --quiet --bench first_frame 2>/dev/null | tee "$data/tasktui.txt"

printf '\n%8s  %22s  %16s  %22s  %16s  %8s\n' tasks "tasktui first frame" "tasktui memory" "taskwarrior list" "taskwarrior memory" speedup
for n in "${sizes[@]}"; do
  db="$data/tasks-$n.db"
  [ -f "$db" ] || target/release/tasktui demo --db "$db" --tasks "$n" --users 50 >/dev/null
  tw="$data/taskwarrior-$n"
  rc="$tw/taskrc"
  if [ ! -f "$tw/imported" ]; then
    rm -rf "$tw" && mkdir -p "$tw"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\n' "$PWD/$tw" > "$rc"
    # The same tasks, as taskwarrior's JSON import format.
    # json_patch drops the null members, which taskwarrior refuses.
    sqlite3 "$db" "SELECT json_patch('{}', json_object(
        'description', title,
        'status', CASE status WHEN 'done' THEN 'completed' ELSE 'pending' END,
        'entry', strftime('%Y%m%dT%H%M%SZ', created_at),
        'end', CASE status WHEN 'done' THEN strftime('%Y%m%dT%H%M%SZ', created_at) END,
        'due', CASE WHEN due_date IS NOT NULL THEN strftime('%Y%m%dT000000Z', due_date) END,
        'priority', CASE priority WHEN 3 THEN 'H' WHEN 2 THEN 'M' WHEN 1 THEN 'L' END))
      FROM tasks" > "$tw/tasks.json"
    TASKRC="$rc" task import "$tw/tasks.json" >/dev/null 2>&1
    touch "$tw/imported"
  fi
  tw_ms=$(TASKRC="$rc" hyperfine --runs 5 --warmup 1 --export-json "$tw/hyperfine.json" \
            "task rc:$rc list > /dev/null" >/dev/null 2>&1 && \
          python3 -c "import json;print(round(json.load(open('$tw/hyperfine.json'))['results'][0]['median']*1000,1))")
  tw_mb=$(TASKRC="$rc" /usr/bin/time -f '%M' task rc:$rc list 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}')
  line=$(awk -v n="$n" '$1 == n' "$data/tasktui.txt")
  ours_ms=$(echo "$line" | awk '{print $2}')
  ours_mb=$(echo "$line" | awk '{print $4}')
  speedup=$(python3 -c "print(round($tw_ms / $ours_ms))")
  printf '%8s  %19s ms  %13s MB  %19s ms  %13s MB  %7sx\n' "$n" "$ours_ms" "$ours_mb" "$tw_ms" "$tw_mb" "$speedup"
done
