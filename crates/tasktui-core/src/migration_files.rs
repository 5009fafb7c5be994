//! The naming rules for files in `migrations/`, shared by the build scripts (the application's
//! and the PostgreSQL crate's, through `#[path]`) and the tests.
//!
//! refinery skips a file whose name it cannot parse without an error (only a log line inside
//! its macro), so a typo such as `V3__add-due.sql` would ship a binary that never runs that
//! migration. The build fails instead, naming the file.

/// One migration as found on disk: its up file and how it is reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationFile {
    pub version: u32,
    pub name: String,
    /// `V{n}__{name}.sql`
    pub up_file: String,
    pub revert: Revert,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revert {
    /// `V{n}__{name}.down.sql`
    Down(String),
    /// `V{n}__{name}.irreversible`, whose text says why.
    Irreversible(String),
}

enum Kind {
    Up,
    Down,
    Irreversible,
}

/// Parses `V{n}__{name}` followed by one of the known suffixes.
fn parse(file: &str) -> Result<(u32, String, Kind), String> {
    let (stem, kind) = if let Some(stem) = file.strip_suffix(".down.sql") {
        (stem, Kind::Down)
    } else if let Some(stem) = file.strip_suffix(".irreversible") {
        (stem, Kind::Irreversible)
    } else if let Some(stem) = file.strip_suffix(".sql") {
        (stem, Kind::Up)
    } else {
        return Err(format!(
            "{file}: not a migration file (expected V<n>__<name>.sql, .down.sql or .irreversible)"
        ));
    };
    let rest = stem.strip_prefix('V').ok_or_else(|| {
        format!(
            "{file}: a migration name starts with a capital V and its version (V3__add_tags.sql)"
        )
    })?;
    let (version, name) = rest.split_once("__").ok_or_else(|| {
        format!("{file}: separate version and name with two underscores (V3__add_tags.sql)")
    })?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{file}: the version must be a whole number (V3__add_tags.sql)"
        ));
    }
    if version.starts_with('0') {
        return Err(format!("{file}: the version must not start with 0"));
    }
    let version: u32 = version
        .parse()
        .ok()
        .filter(|v| *v <= i32::MAX as u32)
        .ok_or_else(|| format!("{file}: the version is too large"))?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(format!(
            "{file}: the name may hold only ASCII letters, digits and underscores (V3__add_tags.sql)"
        ));
    }
    Ok((version, name.to_string(), kind))
}

/// Checks every file name in `migrations/` and pairs each up file with its down file or its
/// irreversible marker. Returns the migrations sorted by version, or every problem found.
pub fn check_migration_files(files: &[String]) -> Result<Vec<MigrationFile>, Vec<String>> {
    let mut problems = Vec::new();
    let mut ups: Vec<(u32, String, String)> = Vec::new();
    let mut reverts: Vec<(u32, String, Revert)> = Vec::new();
    for file in files {
        if file == "README.md" {
            continue;
        }
        match parse(file) {
            Ok((version, name, Kind::Up)) => ups.push((version, name, file.clone())),
            Ok((version, name, Kind::Down)) => {
                reverts.push((version, name, Revert::Down(file.clone())))
            }
            Ok((version, name, Kind::Irreversible)) => {
                reverts.push((version, name, Revert::Irreversible(file.clone())));
            }
            Err(problem) => problems.push(problem),
        }
    }
    ups.sort();
    for pair in ups.windows(2) {
        if pair[0].0 == pair[1].0 {
            problems.push(format!(
                "{} and {}: two migrations with version {}",
                pair[0].2, pair[1].2, pair[0].0
            ));
        }
    }
    let mut migrations = Vec::new();
    for (version, name, up_file) in &ups {
        let mut matching = reverts.iter().filter(|(v, n, _)| v == version && n == name);
        match (matching.next(), matching.next()) {
            (Some((_, _, revert)), None) => migrations.push(MigrationFile {
                version: *version,
                name: name.clone(),
                up_file: up_file.clone(),
                revert: revert.clone(),
            }),
            (None, _) => problems.push(format!(
                "{up_file}: no down migration; add V{version}__{name}.down.sql, or V{version}__{name}.irreversible saying why it cannot be reverted"
            )),
            (Some(_), Some(_)) => problems.push(format!(
                "{up_file}: has both a .down.sql and an .irreversible file; keep one"
            )),
        }
    }
    for (version, name, revert) in &reverts {
        if !ups.iter().any(|(v, n, _)| v == version && n == name) {
            let file = match revert {
                Revert::Down(f) | Revert::Irreversible(f) => f,
            };
            problems.push(format!(
                "{file}: no up migration V{version}__{name}.sql beside it"
            ));
        }
    }
    if problems.is_empty() {
        Ok(migrations)
    } else {
        Err(problems)
    }
}

/// Where the SQLite migrations and their PostgreSQL twins (in `twins/`) differ in versions or
/// names, one line each; empty when every version has its twin.
pub fn unpaired_twins(
    sqlite: &[MigrationFile],
    postgres: &[MigrationFile],
    twins: &str,
) -> Vec<String> {
    let names = |set: &[MigrationFile]| -> Vec<(u32, String)> {
        set.iter().map(|m| (m.version, m.name.clone())).collect()
    };
    let (lite, pg) = (names(sqlite), names(postgres));
    let mut problems: Vec<String> = lite
        .iter()
        .filter(|m| !pg.contains(m))
        .map(|(version, name)| {
            format!("V{version}__{name}: no PostgreSQL twin in migrations/{twins}/ (same version and name)")
        })
        .collect();
    problems.extend(pg.iter().filter(|m| !lite.contains(m)).map(|(version, name)| {
        format!("{twins}/V{version}__{name}: no SQLite migration of this version and name in migrations/")
    }));
    problems
}

/// The migrations of one folder, checked; `twins` names the one folder allowed inside it (the
/// PostgreSQL twins, in `migrations/`). Every problem is named.
pub fn read_set(
    dir: &std::path::Path,
    twins: Option<&str>,
) -> Result<Vec<MigrationFile>, Vec<String>> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?;
    for entry in entries {
        let entry = entry.map_err(|e| vec![format!("{}: {e}", dir.display())])?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            if twins != Some(name.as_str()) {
                // A migration hidden in another folder would run unreviewed, or never.
                problems.push(format!(
                    "{name}/: no folders in migrations/ besides {}/",
                    twins.unwrap_or("postgres")
                ));
            }
        } else {
            files.push(name);
        }
    }
    match check_migration_files(&files) {
        Ok(found) if problems.is_empty() => Ok(found),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// The Rust of a set of migrations, each file included in the binary: the `&[EmbeddedMigration]`
/// a build script writes for `include!`.
pub fn embedded_set(
    dir: &std::path::Path,
    migrations: &[MigrationFile],
) -> Result<String, Vec<String>> {
    use std::fmt::Write as _;
    let mut code = String::from("&[\n");
    let read = |file: &str| -> Result<std::path::PathBuf, Vec<String>> {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| vec![format!("{file}: {e}")])?;
        if text.trim().is_empty() {
            return Err(vec![format!("{file}: the file is empty")]);
        }
        Ok(path)
    };
    for m in migrations {
        let up = read(&m.up_file)?;
        let revert = match &m.revert {
            Revert::Down(file) => format!("EmbeddedRevert::Down(include_str!({:?}))", read(file)?),
            Revert::Irreversible(file) => format!(
                "EmbeddedRevert::Irreversible(include_str!({:?}))",
                read(file)?
            ),
        };
        let _ = writeln!(
            code,
            "    EmbeddedMigration {{ version: {}, name: {:?}, up: include_str!({:?}), revert: {revert} }},",
            m.version, m.name, up
        );
    }
    code.push(']');
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pairs_ups_with_their_downs_in_version_order() {
        let found = check_migration_files(&names(&[
            "V2__add_tags.sql",
            "V2__add_tags.irreversible",
            "V1__init.down.sql",
            "V1__init.sql",
            "README.md",
        ]))
        .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].version, 1);
        assert_eq!(found[0].revert, Revert::Down("V1__init.down.sql".into()));
        assert_eq!(
            found[1].revert,
            Revert::Irreversible("V2__add_tags.irreversible".into())
        );
    }

    #[test]
    fn rejects_names_refinery_would_skip_or_misread() {
        for bad in [
            "V3__add-due.sql",
            "V1.5__x.sql",
            "U1__x.sql",
            "v1__x.sql",
            "V1_x.sql",
            "V01__x.sql",
            "V__x.sql",
            "V1__.sql",
            "notes.txt",
            "V1__init.SQL",
        ] {
            let result = check_migration_files(&names(&[bad]));
            assert!(result.is_err(), "{bad} was accepted");
            assert!(
                result.unwrap_err()[0].starts_with(bad),
                "message names {bad}"
            );
        }
    }

    #[test]
    fn rejects_duplicate_versions_missing_downs_and_orphans() {
        let problems = check_migration_files(&names(&[
            "V1__a.sql",
            "V1__a.down.sql",
            "V1__b.sql",
            "V1__b.down.sql",
            "V2__c.sql",
            "V3__d.down.sql",
        ]))
        .unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("two migrations with version 1"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("V2__c.sql: no down migration"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("V3__d.down.sql: no up migration"))
        );
    }

    #[test]
    fn rejects_both_a_down_and_an_irreversible_marker() {
        let problems = check_migration_files(&names(&[
            "V1__a.sql",
            "V1__a.down.sql",
            "V1__a.irreversible",
        ]))
        .unwrap_err();
        assert!(problems[0].contains("keep one"));
    }

    #[test]
    fn every_migration_needs_its_twin_by_version_and_name() {
        let sqlite = check_migration_files(&names(&[
            "V1__a.sql",
            "V1__a.down.sql",
            "V2__b.sql",
            "V2__b.down.sql",
        ]))
        .unwrap();
        let same = sqlite.clone();
        assert!(unpaired_twins(&sqlite, &same, "postgres").is_empty());
        let renamed = check_migration_files(&names(&[
            "V1__a.sql",
            "V1__a.down.sql",
            "V2__c.sql",
            "V2__c.down.sql",
            "V3__d.sql",
            "V3__d.down.sql",
        ]))
        .unwrap();
        let problems = unpaired_twins(&sqlite, &renamed, "postgres");
        assert_eq!(
            problems,
            vec![
                "V2__b: no PostgreSQL twin in migrations/postgres/ (same version and name)",
                "postgres/V2__c: no SQLite migration of this version and name in migrations/",
                "postgres/V3__d: no SQLite migration of this version and name in migrations/",
            ]
        );
    }
}
