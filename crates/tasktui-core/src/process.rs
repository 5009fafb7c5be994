//! What Linux's `/proc` says about a process; `None` elsewhere or when it cannot be read.

/// The fields of `/proc/<pid>/stat` after the command name, starting with the state letter
/// (field 3 of proc(5)): state, ppid, pgrp, session, …
fn stat(pid: &str) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces and parentheses: cut at the last ')'.
    let (_, rest) = text.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// The state letter of a process (`T` stopped, `R` running, …).
pub fn state(pid: u32) -> Option<char> {
    stat(&pid.to_string())?.first()?.chars().next()
}

/// Whether stopping this process would let a shell resume it: its parent is in the same session
/// but another process group (a job-control shell). A process group without one is orphaned,
/// and a stop there could never be undone, which is why the kernel drops SIGTSTP for it.
pub fn has_job_control() -> bool {
    let Some(me) = stat("self") else {
        return true;
    };
    let (Some(parent), Some(group), Some(session)) = (me.get(1), me.get(2), me.get(3)) else {
        return true;
    };
    let Some(parent) = stat(parent) else {
        return false;
    };
    parent.get(3) == Some(session) && parent.get(2) != Some(group)
}
