//! The person's own editor (`E`): which one, a private scratch file for the text, and running
//! it on the terminal while the interface is suspended.

use crate::app::Editing;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `$VISUAL`, else `$EDITOR`, else `vi`, as a shell word list ("code --wait" works).
pub fn command() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// A file only this user can read, removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes the description to a new scratch file named for the task.
pub fn scratch_file(editing: &Editing) -> std::io::Result<Scratch> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let folder = std::env::temp_dir();
    for attempt in 0..100u32 {
        let path = folder.join(format!(
            "tasktui-{}-task{}-{attempt}.md",
            std::process::id(),
            editing.id.0
        ));
        match options.open(&path) {
            Ok(mut file) => {
                let scratch = Scratch { path };
                file.write_all(editing.text.as_bytes())?;
                file.sync_all()?;
                return Ok(scratch);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free name for a scratch file"))
}

/// The most of an edited file that is read: far past what a description may hold, which the
/// form then refuses with its own message.
const EDITED_MAX: u64 = 16 << 20;

/// Runs `editor` on `file` and reads what it left; `Err` says why there is nothing.
pub fn run(editor: &str, file: &Path) -> Result<String, String> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("tasktui")
        .arg(file)
        .status()
        .map_err(|e| format!("the editor ({editor}) could not be started: {e}"))?;
    if !status.success() {
        return Err(match status.code() {
            Some(127) => format!("the editor ({editor}) was not found: set VISUAL or EDITOR"),
            Some(code) => format!("the editor ({editor}) failed with exit status {code}"),
            None => format!("the editor ({editor}) was stopped by a signal"),
        });
    }
    // What the editor left must be a file: a FIFO (or a device) in its place would hold the read
    // for ever, and the interface with it.
    let unreadable = |e: std::io::Error| format!("the edited text could not be read: {e}");
    let meta = std::fs::metadata(file).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(format!(
            "the editor left something that is not a file at {}; nothing was saved",
            file.display()
        ));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(file).map_err(unreadable)?, EDITED_MAX),
        &mut bytes,
    )
    .map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|_| "the edited text is not UTF-8".to_string())
}
