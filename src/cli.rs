//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// A keyboard-driven terminal task tracker for teams, on a SQLite file or a PostgreSQL server.
#[derive(Debug, Parser)]
#[command(name = "tasktui", version)]
pub struct Cli {
    /// The database: a file (its folder must exist) or a server, postgres://user@host/database
    /// [default: the platform data folder, e.g. ~/.local/share/tasktui/tasktui.db]
    #[arg(long, value_name = "PATH", env = "TASKTUI_DB", global = true)]
    pub db: Option<PathBuf>,

    /// The config file [default: the platform config folder, e.g. ~/.config/tasktui/config.toml]
    #[arg(long, value_name = "PATH", env = "TASKTUI_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// No progress lines for long work (they show only at a terminal anyway)
    #[arg(long, global = true)]
    pub quiet: bool,

    /// Apply pending schema migrations, print what was applied, and exit (= db upgrade head)
    #[arg(long)]
    pub migrate_only: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage the database schema: current, history, upgrade, downgrade, stamp, check, show
    #[command(subcommand)]
    Db(DbCommand),
    /// Fill a database with realistic sample data, to try tasktui with something on screen
    Demo {
        /// How many tasks
        #[arg(long, default_value_t = 1000)]
        tasks: u64,
        /// How many users
        #[arg(long, default_value_t = 12)]
        users: u32,
        /// The same seed gives the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add the sample data to a database that already has data
        #[arg(long)]
        force: bool,
    },
    /// List tasks: a table, or JSON with --json
    List(ListArgs),
    /// Add a task and print its id
    Add {
        /// The title
        title: String,
        /// Assign it to this user (a username)
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// The due date: 2026-12-01, today, tomorrow, fri, next friday, dec 24, +3d, -1d, +1m,
        /// in 2 weeks, eow, eom
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: Option<String>,
        /// none, low, medium or high
        #[arg(long, value_name = "P")]
        priority: Option<String>,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// The description
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// Change a task: only the fields given
    Edit(EditArgs),
    /// Mark tasks done (one change: one undo step)
    Done {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<i64>,
    },
    /// Delete tasks (one change: one undo step); asks at a terminal, needs --yes otherwise
    Rm {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<i64>,
        /// Do not ask
        #[arg(long)]
        yes: bool,
    },
    /// List users with their open and overdue tasks
    Users {
        /// JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add or remove a user
    #[command(subcommand)]
    User(UserCommand),
    /// Export users and tasks (with their tags) as JSON or CSV
    Export {
        /// json or csv
        #[arg(long, value_name = "FORMAT", default_value = "json", value_parser = ["json", "csv"])]
        format: String,
        /// Write to this regular file instead of standard output (- is standard output)
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import an export: all or nothing; every rejected row is named with the reason
    Import {
        /// The file to import (- reads standard input)
        file: PathBuf,
        /// json, csv, or taskwarrior (a `task export`) [default: told by the file's content and
        /// extension]
        #[arg(long, value_name = "FORMAT", value_parser = ["json", "csv", "taskwarrior"])]
        format: Option<String>,
        /// Check every row and say what would be imported, writing nothing (no file, no lock, no migration)
        #[arg(long)]
        dry_run: bool,
        /// Import tasks an earlier import of the same file brought, again, as new tasks
        #[arg(long)]
        again: bool,
    },
    /// Undo your last change (the same history as `u` in the interface)
    Undo,
    /// Redo what you undid (the same history as `Ctrl-r` in the interface)
    Redo,
    /// Print a completion script for a shell (bash: `source <(tasktui completions bash)`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (troff); also kept as assets/tasktui.1
    Man,
    /// The config file: where it is, what in it cannot be used, the default one
    Config {
        /// Print the default config, every entry with a comment (also assets/config.toml)
        #[arg(long)]
        print_default: bool,
        #[command(subcommand)]
        command: Option<ConfigCommand>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Report every entry of the config file that cannot be used, by line, and keys bound twice
    Check,
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tasktui", &mut out);
    out
}

/// What `tasktui edit` changes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct EditArgs {
    /// The task's id
    pub id: i64,
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The due date, as `add --due` takes it ("" clears it)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due: Option<String>,
    /// none, low, medium or high
    #[arg(long, value_name = "P")]
    pub priority: Option<String>,
    /// todo, doing or done
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Assign it to this user
    #[arg(long, value_name = "NAME", conflicts_with = "unassign")]
    pub user: Option<String>,
    /// Assign it to nobody
    #[arg(long)]
    pub unassign: bool,
    /// Add a tag (repeat for more)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Remove a tag (repeat for more)
    #[arg(long = "untag", value_name = "T")]
    pub untags: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user
    Add {
        /// The username
        name: String,
        #[arg(long, value_name = "N")]
        full_name: Option<String>,
        #[arg(long, value_name = "E")]
        email: Option<String>,
    },
    /// Delete a user; their tasks go to another user or to nobody
    Rm {
        /// The username
        name: String,
        /// Hand their tasks to this user
        #[arg(long, value_name = "OTHER", conflicts_with = "unassign")]
        reassign: Option<String>,
        /// Leave their tasks to nobody
        #[arg(long)]
        unassign: bool,
    },
}

/// Which tasks `tasktui list` prints.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ListArgs {
    /// Only this user's tasks (a username)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["unassigned", "mine"])]
    pub user: Option<String>,
    /// Only tasks assigned to nobody
    #[arg(long, conflicts_with = "mine")]
    pub unassigned: bool,
    /// Only your tasks (the user named like TASKTUI_USER, else the config file's me, else your
    /// login)
    #[arg(long)]
    pub mine: bool,
    /// open, done, todo or doing
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Only tasks with this tag (area takes area/… too)
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Only open tasks due before today
    #[arg(long)]
    pub overdue: bool,
    /// Only tasks due before this date (as `add --due` takes it)
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub due_before: Option<String>,
    /// Words in the title, description or tags (#tag for a tag)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// due, priority, created, updated, title or status
    #[arg(long, value_name = "KEY")]
    pub sort: Option<String>,
    /// At most this many tasks
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// The schema version of the database, and how many migrations are pending
    Current,
    /// Every migration: applied (with its time), pending, divergent or unknown, and its revert
    History,
    /// Apply migrations up to the newest (head) or to version N; backs the database up first
    Upgrade {
        #[arg(value_name = "head|N", default_value = "head")]
        target: String,
    },
    /// Revert one step (-1), down to version N, or everything (base); backs the database up first
    Downgrade {
        #[arg(value_name = "-1|N|base", allow_hyphen_values = true)]
        target: String,
        /// Do not ask before a downgrade that drops data
        #[arg(long)]
        yes: bool,
    },
    /// Adopt a database that has tasktui's tables but no history, if its schema matches version N
    Stamp {
        #[arg(value_name = "N|head")]
        target: String,
    },
    /// Report divergent, unknown and pending migrations, schema drift, integrity and
    /// foreign-key problems; exits non-zero on any
    Check {
        /// Mend what can be rebuilt from the tasks (the search indexes, the kept counts), in one
        /// transaction, then check again
        #[arg(long)]
        fix: bool,
    },
    /// Print the SQL of migration N, or with --down of its down migration
    Show {
        #[arg(value_name = "N")]
        version: u32,
        /// Show the down migration
        #[arg(long)]
        down: bool,
    },
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

    #[test]
    fn downgrade_takes_a_negative_step() {
        let cli =
            Cli::try_parse_from(["tasktui", "db", "downgrade", "-1", "--db", "x.db"]).unwrap();
        match cli.command {
            Some(Command::Db(DbCommand::Downgrade { target, yes })) => {
                assert_eq!((target.as_str(), yes), ("-1", false))
            }
            other => panic!("{other:?}"),
        }
    }
}
