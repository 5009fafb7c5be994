#!/usr/bin/env bash
# tasktui beside taskwarrior on the same tasks (titles, descriptions as annotations, assignees as
# a user-defined attribute, tags, priorities, due dates): `task next` (a page, as tasktui shows),
# `task list`, and taskwarrior-tui in the same pseudo-terminal as tasktui.
#   bash benches/compare.sh            # 1,000 and 10,000 tasks
#   bash benches/compare.sh --full     # also 100,000 (importing them into taskwarrior takes minutes)
# Needs hyperfine, taskwarrior, sqlite3 (installed from Debian if missing) and taskwarrior-tui
# (`cargo install taskwarrior-tui --locked`, from crates.io; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=(1000 10000)
[ "${1:-}" = "--full" ] && sizes+=(100000)

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v task >/dev/null || missing+=(taskwarrior)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v python3 >/dev/null || missing+=(python3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$HOME/.cargo/bin:$PATH"
command -v taskwarrior-tui >/dev/null || cargo install --locked --quiet taskwarrior-tui

cargo build --release --locked --quiet
data=target/bench-data
mkdir -p "$data"

median_ms() { # hyperfine's median of a command, in ms
  hyperfine --runs "$1" --warmup 1 --export-json "$data/hyperfine.json" "$2" >/dev/null 2>&1
  python3 -c "import json;print(round(json.load(open('$data/hyperfine.json'))['results'][0]['median']*1000,1))"
}
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

printf '%8s  %18s  %18s\n' tasks "task next" "task list"
for n in "${sizes[@]}"; do
  db="$data/tasks-$n.db"
  [ -f "$db" ] || target/release/tasktui demo --db "$db" --tasks "$n" --users 50 >/dev/null
  tw="$data/taskwarrior-$n"
  rc="$tw/taskrc"
  if [ ! -f "$tw/imported-v2" ]; then
    rm -rf "$tw" && mkdir -p "$tw"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nuda.assignee.type=string\nuda.assignee.label=Assignee\nnews.version=2.6.2\n' \
      "$PWD/$tw" > "$rc"
    # The same tasks in taskwarrior's JSON import format; json_patch drops the null members,
    # which taskwarrior refuses. A tag's "/" (area/billing) becomes "." (taskwarrior's own
    # hierarchy separator).
    sqlite3 "$db" "SELECT json_patch('{}', json_object(
        'description', t.title,
        'status', CASE t.status WHEN 'done' THEN 'completed' ELSE 'pending' END,
        'entry', strftime('%Y%m%dT%H%M%SZ', t.created_at),
        'end', CASE t.status WHEN 'done' THEN strftime('%Y%m%dT%H%M%SZ', t.created_at) END,
        'due', CASE WHEN t.due_date IS NOT NULL THEN strftime('%Y%m%dT000000Z', t.due_date) END,
        'priority', CASE t.priority WHEN 3 THEN 'H' WHEN 2 THEN 'M' WHEN 1 THEN 'L' END,
        'assignee', u.username,
        'tags', (SELECT json_group_array(replace(g.name, '/', '.')) FROM task_tags tt
                 JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id),
        'annotations', CASE WHEN t.description <> '' THEN json_array(json_object(
            'entry', strftime('%Y%m%dT%H%M%SZ', t.created_at),
            'description', replace(t.description, char(10), ' '))) END))
      FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id" > "$tw/tasks.json"
    TASKRC="$rc" task import "$tw/tasks.json" >/dev/null 2>&1
    touch "$tw/imported-v2"
  fi
  runs=5; [ "$n" -gt 10000 ] && runs=3
  next_ms=$(TASKRC="$rc" median_ms "$runs" "task rc:$rc next > /dev/null")
  list_ms=$(TASKRC="$rc" median_ms "$runs" "task rc:$rc list > /dev/null")
  next_mb=$(TASKRC="$rc" peak_mb task "rc:$rc" next)
  list_mb=$(TASKRC="$rc" peak_mb task "rc:$rc" list)
  printf '%8s  %9s ms %5s MB  %9s ms %5s MB\n' "$n" "$next_ms" "$next_mb" "$list_ms" "$list_mb"
done
echo
TASKTUI_COMPARE="$PWD/$data" TASKTUI_COMPARE_SIZES="${sizes[*]}" \
  cargo bench --locked --quiet --bench compare 2>/dev/null
