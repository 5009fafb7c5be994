//! The command line.

use clap::Parser;
use std::path::PathBuf;

/// A keyboard-driven terminal task tracker for teams, on embedded SQLite.
#[derive(Debug, Parser)]
#[command(name = "tasktui", version)]
pub struct Cli {
    /// The database file; its folder must exist [default: the platform data folder,
    /// e.g. ~/.local/share/tasktui/tasktui.db]
    #[arg(long, value_name = "PATH", env = "TASKTUI_DB", global = true)]
    pub db: Option<PathBuf>,

    /// Apply pending schema migrations, print what was applied, and exit
    #[arg(long)]
    pub migrate_only: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_db_and_migrate_only() {
        let cli = Cli::try_parse_from(["tasktui", "--db", "/tmp/t.db", "--migrate-only"]).unwrap();
        assert_eq!(cli.db, Some(PathBuf::from("/tmp/t.db")));
        assert!(cli.migrate_only);
        assert!(Cli::try_parse_from(["tasktui", "--bogus"]).is_err());
    }
}
