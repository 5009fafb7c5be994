//! What tasktui generates about itself: the completion scripts and the man page, through the
//! binary as a user runs them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use clap::CommandFactory;
use std::path::Path;
use std::process::Command;

fn tasktui(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tasktui"))
        .args(args)
        .env_remove("TASKTUI_DB")
        .env_remove("TASKTUI_CONFIG")
        .output()
        .unwrap()
}

/// Every subcommand's name, nested ones too.
fn subcommands(command: &clap::Command) -> Vec<String> {
    command
        .get_subcommands()
        .flat_map(|sub| {
            let mut names = vec![sub.get_name().to_string()];
            names.extend(subcommands(sub));
            names
        })
        .collect()
}

#[test]
fn completion_scripts_generate_for_each_shell_and_name_every_subcommand() {
    let names = subcommands(&tasktui::cli::Cli::command());
    assert!(names.contains(&"downgrade".to_string()) && names.contains(&"man".to_string()));
    for shell in ["bash", "zsh", "fish"] {
        let o = tasktui(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} lacks {name}");
        }
    }
    let o = tasktui(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn the_man_page_is_the_one_kept_in_assets() {
    let o = tasktui(&["man"]);
    assert!(o.status.success());
    let kept =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/tasktui.1")).unwrap();
    assert!(
        o.stdout == kept,
        "assets/tasktui.1 is stale: regenerate it with `cargo run -- man > assets/tasktui.1`"
    );
    let page = String::from_utf8(o.stdout).unwrap();
    for sub in tasktui::cli::Cli::command().get_subcommands() {
        let name = format!(".SS \"tasktui {}", sub.get_name().replace('-', "\\-"));
        assert!(page.contains(&name), "the man page lacks {name}");
    }
    // One complete page: it sends the reader to no page that does not exist.
    assert!(!page.contains("(1)"), "a page it names does not exist");
    for section in [".SH COMMANDS", ".SH KEYS", ".SH ENVIRONMENT", ".SH FILES"] {
        assert!(page.contains(section), "the man page lacks {section}");
    }
    for variable in [
        "TASKTUI_DB",
        "TASKTUI_USER",
        "TASKTUI_LOG",
        "TASKTUI_LOCK_WAIT",
        "TASKTUI_CONFIG",
        "NO_COLOR",
        "EDITOR",
        "PGPASSWORD",
    ] {
        assert!(page.contains(variable), "the man page lacks {variable}");
    }
    assert!(
        page.contains("tasktui db downgrade"),
        "nested commands are there too"
    );
    assert!(page.contains("toggle done"), "the keys are there");
}

#[test]
fn man_and_completions_refuse_a_database_they_would_not_read() {
    for args in [
        &["man", "--db", "x.db"][..],
        &["--config", "c.toml", "completions", "bash"][..],
    ] {
        let o = tasktui(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("has no meaning for `tasktui"), "{err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn the_default_config_is_the_one_kept_in_assets() {
    let o = tasktui(&["config", "--print-default"]);
    assert!(o.status.success());
    let kept =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.toml")).unwrap();
    assert!(
        o.stdout == kept,
        "assets/config.toml is stale: regenerate it with `cargo run -- config --print-default > assets/config.toml`"
    );
}
