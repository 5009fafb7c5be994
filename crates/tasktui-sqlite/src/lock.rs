//! The lock file beside a database, taken while its schema is checked and changed: waited for a
//! bounded time while saying who holds it, and named after the file itself rather than the path
//! string, so that a symlink to the database shares its lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use tasktui_core::seam::{DEFAULT_WAIT, wait_limit};

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{}: cannot create this lock file: the folder is read-only for you, and tasktui must write there to change the database", .path.display())]
    FolderReadOnly { path: PathBuf },
    #[error("{}: cannot open this lock file ({detail})", .path.display())]
    Unreadable { path: PathBuf, detail: String },
    #[error("{}: is not a regular file; tasktui keeps its lock there", .path.display())]
    NotAFile { path: PathBuf },
    #[error("{}: still locked after {:.0} s by {holder}", .path.display(), .waited.as_secs_f64())]
    TimedOut {
        path: PathBuf,
        holder: String,
        waited: Duration,
    },
    #[error("{}: {detail}", .path.display())]
    Io { path: PathBuf, detail: String },
}

/// The lock file's path for the database at `path`: beside the file a symlink points to, in its
/// folder's canonical form.
pub fn path_for(path: &Path) -> PathBuf {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| {
        let folder = super::folder_of(path);
        let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
        path.file_name()
            .map_or_else(|| path.to_path_buf(), |name| folder.join(name))
    });
    let mut name = target.into_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// An exclusive lock on a database's lock file, released when dropped.
#[derive(Debug)]
pub struct Held {
    _file: File,
}

/// A shared hold on a database's lock file, released when dropped.
#[derive(Debug)]
pub struct Shared {
    _file: File,
}

/// The lock file held shared, at once, for a process that finds nothing to migrate: no other
/// tasktui is migrating now, and none can start until this is dropped. `None` when the lock
/// file is not there, cannot be read or is held: take the lock with `acquire` then.
pub fn quiet(path: &Path) -> Option<Shared> {
    let file = File::open(path_for(path)).ok()?;
    file.try_lock_shared().ok()?;
    Some(Shared { _file: file })
}

/// Takes the lock for the database at `path`, waiting up to `wait_limit()`. `waiting` is told
/// once who holds it, when the lock is not free at once.
pub fn acquire(path: &Path, waiting: &mut dyn FnMut(&Path, &str)) -> Result<Held, LockError> {
    let name = path_for(path);
    let io = |e: std::io::Error| LockError::Io {
        path: name.clone(),
        detail: e.to_string(),
    };
    if let Ok(meta) = std::fs::symlink_metadata(&name)
        && !meta.is_file()
    {
        return Err(LockError::NotAFile { path: name });
    }
    let mut file = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&name)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && name.exists() => {
            // A lock file someone else made read-only: a lock needs only a handle to read.
            File::open(&name).map_err(|e| LockError::Unreadable {
                path: name.clone(),
                detail: e.to_string(),
            })?
        }
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            return Err(LockError::FolderReadOnly { path: name });
        }
        Err(e) => return Err(io(e)),
    };
    let started = Instant::now();
    let limit = wait_limit();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                if started.elapsed() >= limit {
                    return Err(LockError::TimedOut {
                        path: name,
                        holder,
                        waited: started.elapsed(),
                    });
                }
                if !told {
                    waiting(&name, &holder);
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
    // Say who holds it, for anyone who waits; a read-only lock file simply stays silent.
    let me = format!(
        "process {} ({})",
        std::process::id(),
        std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(me.as_bytes()));
    Ok(Held { _file: file })
}

/// Who holds the lock, from what the holder wrote into the file, and whether it is stopped.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| {
        Read::by_ref(file)
            .take(512)
            .read_to_string(&mut text)
            .map(|_| ())
    });
    let text = tasktui_core::text::clean(text.trim()).into_owned();
    if text.is_empty() {
        return "another process".into();
    }
    let pid = text
        .strip_prefix("process ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|pid| pid.parse::<u32>().ok());
    let Some(pid) = pid else {
        return text;
    };
    match tasktui_core::process::state(pid) {
        Some('T' | 't') => format!("{text}, which is stopped (`kill -CONT {pid}` resumes it)"),
        // The name is what the last holder wrote; a reader holds the lock without writing, so
        // a process that has ended since is not the holder.
        None if std::path::Path::new("/proc/self").exists() => {
            "another tasktui reading the database".into()
        }
        _ => text,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_named_in_the_file_that_has_ended_is_not_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db.lock");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let ended = child.id();
        child.wait().unwrap();
        std::fs::write(&path, format!("process {ended} (tasktui --db t.db)")).unwrap();
        let mut file = File::open(&path).unwrap();
        assert_eq!(holder(&mut file), "another tasktui reading the database");
        // A holder that runs is named as it wrote itself.
        let me = std::process::id();
        std::fs::write(&path, format!("process {me} (tasktui --db t.db)")).unwrap();
        let mut file = File::open(&path).unwrap();
        assert_eq!(
            holder(&mut file),
            format!("process {me} (tasktui --db t.db)")
        );
    }
}
