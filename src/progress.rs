//! How far long work is, on standard error at a terminal: counts, rate and time left where the
//! work knows its total, the time so far where it does not. Nothing on a pipe or with `--quiet`,
//! and nothing for work done within a second.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Set by `--quiet`: no progress lines at all.
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Where the work is: its step, and how much of it is done of how much (0 when not known).
#[derive(Debug, Clone)]
struct Step {
    name: String,
    done: u64,
    total: u64,
    since: Instant,
}

/// A progress line while it lives; dropped, it is cleared.
#[derive(Debug)]
pub struct Progress {
    step: Arc<Mutex<Step>>,
    stop: Arc<AtomicBool>,
    drawer: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// Starts saying how `what` goes, after a second, where standard error is a terminal.
    pub fn start(what: &str) -> Progress {
        let step = Arc::new(Mutex::new(Step {
            name: String::new(),
            done: 0,
            total: 0,
            since: Instant::now(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let shown = !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal();
        let drawer = shown.then(|| {
            let (step, stop, what) = (Arc::clone(&step), Arc::clone(&stop), what.to_string());
            std::thread::spawn(move || draw(&what, &step, &stop))
        });
        if shown {
            // What a backend reports of its own loops (an import's rows) comes here too.
            let heard = Arc::clone(&step);
            tasktui_core::progress::listen(Some(Box::new(move |name, done, total| {
                set_step(&heard, name, done, total);
            })));
        }
        Progress { step, stop, drawer }
    }

    /// The step now under way and how far it is (`total` 0 when not known).
    pub fn set(&self, name: &str, done: u64, total: u64) {
        set_step(&self.step, name, done, total);
    }
}

fn set_step(step: &Mutex<Step>, name: &str, done: u64, total: u64) {
    if let Ok(mut step) = step.lock() {
        if step.name != name {
            step.name = name.to_string();
            step.since = Instant::now();
        }
        step.done = done;
        step.total = total;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.drawer.is_some() {
            tasktui_core::progress::listen(None);
        }
        self.stop.store(true, Ordering::SeqCst);
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}

fn draw(what: &str, step: &Mutex<Step>, stop: &AtomicBool) {
    let started = Instant::now();
    let mut drawn = false;
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() < Duration::from_secs(1) {
            continue;
        }
        let Ok(now) = step.lock().map(|s| s.clone()) else {
            break;
        };
        let line = line(what, &now, started.elapsed());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{}", crate::text::clean(&line));
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
}

/// `demo: tasks 120,000 of 300,000 (40%), 52,000/s, 3 s left`, or `import: 4 s` where the
/// total is not known.
fn line(what: &str, step: &Step, elapsed: Duration) -> String {
    use crate::text::thousands;
    let name = if step.name.is_empty() {
        String::new()
    } else {
        format!(" {}", step.name)
    };
    if step.total == 0 {
        return format!("{what}:{name}… {} s", elapsed.as_secs());
    }
    let seconds = step.since.elapsed().as_secs_f64().max(0.001);
    let rate = step.done as f64 / seconds;
    let left = if rate > 0.0 {
        format!(
            ", {} s left",
            ((step.total.saturating_sub(step.done)) as f64 / rate).ceil() as u64
        )
    } else {
        String::new()
    };
    format!(
        "{what}:{name} {} of {} ({}%), {}/s{left}",
        thousands(step.done),
        thousands(step.total),
        step.done * 100 / step.total,
        thousands(rate as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_counts_rate_and_time_left_or_the_time_so_far() {
        let step = Step {
            name: "tasks".into(),
            done: 120_000,
            total: 300_000,
            since: Instant::now() - Duration::from_secs(2),
        };
        let said = line("demo", &step, Duration::from_secs(2));
        assert!(
            said.starts_with("demo: tasks 120,000 of 300,000 (40%), "),
            "{said}"
        );
        assert!(said.ends_with(" s left"), "{said}");
        let unknown = Step {
            total: 0,
            name: "writing".into(),
            ..step
        };
        assert_eq!(
            line("import", &unknown, Duration::from_secs(4)),
            "import: writing… 4 s"
        );
    }
}
