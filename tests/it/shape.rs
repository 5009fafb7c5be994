//! The code's shape, checked: no two modules import each other, however far round (a file is
//! a module; an import is a `use` or a path through `crate::`/`super::`), the core crate
//! depends on no database, terminal or command-line crate, each backend crate knows nothing of
//! the other, and in the application only `src/open/` names a backend.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates whose modules are checked: their `src` folder and their root file.
const CRATES: [(&str, &str); 4] = [
    ("src", "lib.rs"),
    ("crates/tasktui-core/src", "lib.rs"),
    ("crates/tasktui-sqlite/src", "lib.rs"),
    ("crates/tasktui-postgres/src", "lib.rs"),
];

#[test]
fn no_two_modules_import_each_other() {
    let mut cycles = Vec::new();
    for (src, root) in CRATES {
        let graph = Graph::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(src), root);
        assert!(graph.files.len() > 5, "{src}: too few modules read");
        cycles.extend(graph.cycles());
    }
    assert!(
        cycles.is_empty(),
        "import cycles (each a module path, round to the first):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_checker_finds_a_cycle_between_two_files() {
    let dir = tempfile::TempDir::new().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("lib.rs", "mod a;\nmod b;\nmod c;\n");
    write("a.rs", "use crate::b::Thing;\n");
    write("b.rs", "pub struct Thing;\nfn f() { super::c::g(); }\n");
    write("c.rs", "use super::a;\npub fn g() {}\n");
    assert_eq!(
        Graph::read(dir.path(), "lib.rs").cycles(),
        ["a → b → c → a"]
    );
    write("c.rs", "pub fn g() {}\n");
    assert!(Graph::read(dir.path(), "lib.rs").cycles().is_empty());
}

/// The dependencies a crate's manifest names.
fn dependencies_of(krate: &str) -> toml::Table {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("crates/{krate}/Cargo.toml")),
    )
    .unwrap();
    let manifest: toml::Table = manifest.parse().unwrap();
    manifest["dependencies"].as_table().unwrap().clone()
}

#[test]
fn the_core_crate_depends_on_no_database_terminal_or_command_line_crate() {
    let dependencies = dependencies_of("tasktui-core");
    assert!(dependencies.contains_key("chrono"), "{dependencies:?}");
    for forbidden in [
        "rusqlite",
        "refinery",
        "refinery-core",
        "postgres",
        "ratatui",
        "crossterm",
        "clap",
    ] {
        assert!(
            !dependencies.contains_key(forbidden),
            "core depends on {forbidden}"
        );
    }
}

#[test]
fn the_postgresql_crate_knows_nothing_of_sqlite_or_the_application() {
    let dependencies = dependencies_of("tasktui-postgres");
    assert!(dependencies.contains_key("postgres"), "{dependencies:?}");
    for forbidden in ["rusqlite", "tasktui", "ratatui", "crossterm", "clap"] {
        assert!(
            !dependencies.contains_key(forbidden),
            "depends on {forbidden}"
        );
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tasktui-postgres/src");
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for name in ["rusqlite", "tasktui_sqlite", "tasktui::"] {
            assert!(!text.contains(name), "{} names {name}", path.display());
        }
    }
}

#[test]
fn the_sqlite_crate_knows_nothing_of_postgresql_or_the_application() {
    let dependencies = dependencies_of("tasktui-sqlite");
    assert!(dependencies.contains_key("rusqlite"), "{dependencies:?}");
    for forbidden in ["postgres", "tasktui", "ratatui", "crossterm", "clap"] {
        assert!(
            !dependencies.contains_key(forbidden),
            "depends on {forbidden}"
        );
    }
    for path in rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tasktui-sqlite/src"))
    {
        let text = code_of(&path);
        for name in ["postgres", "tasktui::"] {
            assert!(!text.contains(name), "{} names {name}", path.display());
        }
    }
}

#[test]
fn only_src_open_names_a_backend() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    assert!(files.len() > 20, "too few files read");
    let mut naming = Vec::new();
    for path in files {
        let text = code_of(&path);
        if [
            "tasktui_sqlite",
            "tasktui_postgres",
            "rusqlite",
            "postgres::",
        ]
        .iter()
        .any(|name| text.contains(name))
        {
            naming.push(path.strip_prefix(&src).unwrap().display().to_string());
        }
    }
    naming.sort();
    assert_eq!(
        naming,
        [
            "open/file.rs",
            "open/location.rs",
            "open/mod.rs",
            "open/server.rs"
        ]
    );
}

#[test]
fn the_core_and_the_backends_say_what_happened_and_the_application_the_way_out() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut advising = Vec::new();
    for krate in ["tasktui-core", "tasktui-sqlite", "tasktui-postgres"] {
        for path in rust_files(&root.join("crates").join(krate).join("src")) {
            let text = std::fs::read_to_string(&path).unwrap();
            // An error kind's words: its `#[error(…)]` attribute, up to the variant it names.
            for words in text.split("#[error(").skip(1) {
                let words = words.split(")]").next().unwrap_or("");
                for advice in [
                    "`tasktui",
                    "try again",
                    "give another",
                    "restore it",
                    "grant it",
                ] {
                    if words.contains(advice) {
                        advising.push(format!("{}: {words}", path.display()));
                    }
                }
            }
        }
    }
    assert!(
        advising.is_empty(),
        "error kinds that say a way out:\n{}",
        advising.join("\n")
    );
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// Each file's module path and the files it imports.
struct Graph {
    /// Module path (`store::admin`) → file.
    files: BTreeMap<String, PathBuf>,
    /// Module path → the module paths of the files it imports.
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn read(src: &Path, root: &str) -> Graph {
        let mut files = BTreeMap::new();
        collect(src, src, root, &mut files);
        let mut exports = BTreeMap::new();
        for (module, file) in &files {
            let text = code_of(file);
            for path in uses(&text, true) {
                // Another crate's name handed on is no module of this one (`None`).
                let full = absolute(module, &path, &files);
                exports.insert(format!("{module}::{}", last(&path)), full);
            }
        }
        let mut edges = BTreeMap::new();
        for (module, file) in &files {
            let text = code_of(file);
            let mut to = BTreeSet::new();
            for path in uses(&text, false).into_iter().chain(inline_paths(&text)) {
                // A name a module hands on (`pub use child::Name`) is where it comes from.
                let Some(full) = absolute(module, &path, &files).and_then(|p| origin(p, &exports))
                else {
                    continue;
                };
                let target = owner(&full, &files);
                // A module and the modules above it are one facade: a child may use its
                // parent's names and the parent its children's.
                if target != *module
                    && !is_ancestor(&target, module)
                    && !is_ancestor(module, &target)
                {
                    to.insert(target);
                }
            }
            edges.insert(module.clone(), to);
        }
        Graph { files, edges }
    }

    /// Every cycle once, as `a → b → a`, found by a depth-first walk.
    fn cycles(&self) -> Vec<String> {
        let mut found = BTreeSet::new();
        for start in self.edges.keys() {
            let mut stack = vec![(start.clone(), vec![start.clone()])];
            while let Some((at, trail)) = stack.pop() {
                for next in &self.edges[&at] {
                    if next == start {
                        let mut cycle = trail.clone();
                        // The same cycle from another start is one cycle: name it from its least.
                        let least = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                        cycle.rotate_left(least);
                        let first = cycle[0].clone();
                        cycle.push(first);
                        found.insert(cycle.join(" → "));
                    } else if !trail.contains(next) && next > start {
                        let mut longer = trail.clone();
                        longer.push(next.clone());
                        stack.push((next.clone(), longer));
                    }
                }
            }
        }
        found.into_iter().collect()
    }
}

fn collect(src: &Path, dir: &Path, root: &str, files: &mut BTreeMap<String, PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(src, &path, root, files);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == [root.trim_end_matches(".rs")] {
            parts.clear();
        } else if parts.first().is_some_and(|p| p == "main" || p == "build") {
            continue;
        }
        files.insert(parts.join("::"), path);
    }
}

/// The file's text without comments and string literals' contents (a doc comment that names a
/// path imports nothing).
fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        for c in line.chars() {
            if c == '"' {
                in_string = !in_string;
                continue;
            }
            if !in_string {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The paths of the `use` declarations (only the `pub use` ones when `exported`), each group
/// `a::{b, c::{d, e}}` spread out.
fn uses(text: &str, exported: bool) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in text.split(';') {
        let statement = statement.trim();
        let body = if let Some(rest) = statement.strip_prefix("pub use ") {
            rest
        } else if let Some(rest) = statement
            .strip_prefix("pub(crate) use ")
            .or_else(|| statement.strip_prefix("pub(super) use "))
        {
            rest
        } else if !exported && let Some(rest) = statement.rsplit_once("\nuse ").map(|(_, r)| r) {
            rest
        } else if !exported && let Some(rest) = statement.strip_prefix("use ") {
            rest
        } else {
            continue;
        };
        if exported && statement.starts_with("use ") {
            continue;
        }
        spread("", &body.split_whitespace().collect::<String>(), &mut paths);
    }
    paths
}

fn spread(prefix: &str, text: &str, out: &mut Vec<String>) {
    if let Some(open) = text.find('{') {
        let head = &text[..open];
        let inner = &text[open + 1..text.rfind('}').unwrap_or(text.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    spread(&format!("{prefix}{head}"), &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        spread(&format!("{prefix}{head}"), &inner[start..], out);
    } else if !text.is_empty() {
        let item = text.split(" as ").next().unwrap_or(text);
        let path = format!("{prefix}{item}");
        out.push(path.strip_suffix("::self").unwrap_or(&path).to_string());
    }
}

/// `crate::…` and `super::…` paths written in the code itself.
fn inline_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(start) {
            let at = from + at;
            let before = text[..at].chars().last();
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            // The head of a group (`crate::open::{A, B}`) imports only what the group names.
            let group = text[at + path.len()..].starts_with('{');
            if !group && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                paths.push(path.trim_end_matches(':').to_string());
            }
            from = at + start.len();
        }
    }
    paths
}

/// A path as seen from `module`, written from the crate root; `None` for another crate's.
fn absolute(module: &str, path: &str, files: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    let mut base: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
    match parts.first() {
        Some(&"crate") => {
            base.clear();
            parts.remove(0);
        }
        Some(&"super") => {
            while parts.first() == Some(&"super") {
                parts.remove(0);
                base.pop();
            }
        }
        Some(&"self") => {
            parts.remove(0);
        }
        // A sibling named without `super` (`use child::X` in a parent) is the module's own.
        Some(first) if files.contains_key(&join(&base, &[first])) => {}
        _ => return None,
    }
    Some(join(&base, &parts))
}

fn join(base: &[&str], rest: &[&str]) -> String {
    base.iter()
        .chain(rest)
        .copied()
        .collect::<Vec<_>>()
        .join("::")
}

/// Where a name handed on by `pub use` comes from, followed to its end; `None` for another
/// crate's.
fn origin(mut path: String, exports: &BTreeMap<String, Option<String>>) -> Option<String> {
    for _ in 0..16 {
        match exports.get(&path) {
            Some(Some(next)) if *next != path => path = next.clone(),
            Some(None) => return None,
            _ => break,
        }
    }
    Some(path)
}

/// The module that holds `path`: its longest prefix that is a file.
fn owner(path: &str, files: &BTreeMap<String, PathBuf>) -> String {
    let mut parts: Vec<&str> = path.split("::").collect();
    while !parts.is_empty() && !files.contains_key(&parts.join("::")) {
        parts.pop();
    }
    parts.join("::")
}

fn last(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn is_ancestor(ancestor: &str, module: &str) -> bool {
    ancestor.is_empty() || module.starts_with(&format!("{ancestor}::"))
}
