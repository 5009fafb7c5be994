//! How far long work in a backend is, told to whoever listens (the application's progress line
//! at a terminal): a hook the application sets, as a logger is set, so that no backend draws
//! anything or knows of a terminal. Nobody listening costs one lock per report.

use std::sync::RwLock;

type Listener = Box<dyn Fn(&str, u64, u64) + Send + Sync>;

static LISTENER: RwLock<Option<Listener>> = RwLock::new(None);

/// From now on `listener(step, done, total)` hears every report; `None` stops it.
pub fn listen(listener: Option<Listener>) {
    if let Ok(mut slot) = LISTENER.write() {
        *slot = listener;
    }
}

/// `done` of `total` of `step` are done (`total` 0 when not known).
pub fn report(step: &str, done: u64, total: u64) {
    if let Ok(slot) = LISTENER.read()
        && let Some(listener) = slot.as_ref()
    {
        listener(step, done, total);
    }
}

/// Reports every thousandth of a loop's `done` (and its first), not each row.
pub fn every_thousand(step: &str, done: usize, total: usize) {
    if done.is_multiple_of(1000) {
        report(
            step,
            u64::try_from(done).unwrap_or(u64::MAX),
            u64::try_from(total).unwrap_or(u64::MAX),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn a_listener_hears_every_thousandth_row_and_nothing_once_it_stops() {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let into = Arc::clone(&heard);
        listen(Some(Box::new(move |step, done, total| {
            into.lock().unwrap().push((step.to_string(), done, total));
        })));
        for i in 0..2500 {
            every_thousand("tasks", i, 2500);
        }
        listen(None);
        report("tasks", 2500, 2500);
        assert_eq!(
            *heard.lock().unwrap(),
            [
                ("tasks".to_string(), 0, 2500),
                ("tasks".to_string(), 1000, 2500),
                ("tasks".to_string(), 2000, 2500)
            ]
        );
    }
}
