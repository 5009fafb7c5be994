//! A PostgreSQL server as `--db` names it: the URL tasktui connects with, and the same URL with
//! its password hidden, the only form ever printed or logged.

use std::fmt;

/// A `postgres://` or `postgresql://` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Server {
    url: String,
    shown: String,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Server").field(&self.shown).finish()
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Server {
    /// The server a `--db` value names, `None` when it is a file path.
    pub fn from_arg(text: &str) -> Option<Server> {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        (lower.starts_with("postgres://") || lower.starts_with("postgresql://")).then(|| Server {
            url: text.to_string(),
            shown: hide_password(text),
        })
    }

    /// The URL with its password hidden.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The URL as a suggested command names it: without its password (never printed), which
    /// the person gives as they gave it the first time.
    pub fn without_password(&self) -> String {
        let Some((scheme, rest)) = self.shown.split_once("://") else {
            return self.shown.clone();
        };
        let rest = rest.replacen(":***@", "@", 1);
        let (before, query) = match rest.split_once('?') {
            Some((before, query)) => (before.to_string(), Some(query.to_string())),
            None => (rest, None),
        };
        let kept: Vec<&str> = query
            .as_deref()
            .map(|q| {
                q.split('&')
                    .filter(|p| !p.ends_with("=***") && *p != "***")
                    .collect()
            })
            .unwrap_or_default();
        if kept.is_empty() {
            format!("{scheme}://{before}")
        } else {
            format!("{scheme}://{before}?{}", kept.join("&"))
        }
    }

    /// Whether the URL holds a password (which a suggested command leaves out).
    pub fn has_password(&self) -> bool {
        self.url
            .parse::<postgres::Config>()
            .is_ok_and(|config| config.get_password().is_some())
    }

    /// The URL to connect with, password and all: for the client only, never for a message.
    pub(super) fn secret_url(&self) -> &str {
        &self.url
    }

    /// The database the URL names, as a file name for its backups: host, port and database as
    /// the client reads them (the port 5432 and the user's name as the database when the URL
    /// leaves them out; `localhost`, `127.0.0.1` and `::1` all as `localhost`), each part
    /// escaped so that two databases never share a name (`adv_main` and `adv-main`).
    pub fn file_stem(&self) -> String {
        let Ok(config) = self.url.parse::<postgres::Config>() else {
            return "postgres".into();
        };
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host))
                if ["localhost", "127.0.0.1", "::1"].contains(&host.as_str()) =>
            {
                "localhost".to_string()
            }
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            Some(postgres::config::Host::Unix(folder)) => folder.to_string_lossy().into_owned(),
            None => "localhost".to_string(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let database = config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or("postgres");
        format!(
            "{}-{port}-{}",
            file_name_part(&host),
            file_name_part(database)
        )
    }
}

/// Text as part of a file name: letters, digits and `.` as they are, every other byte as `%XX`,
/// so that different texts give different names and none holds `/` or `-`.
fn file_name_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'.' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `postgres://alice:secret@host/db?password=x` → `postgres://alice:***@host/db?password=***`.
///
/// Read the way the client library reads a URL, so that whatever it takes as the password is
/// what is hidden: the credentials run to the first `@` (a password may hold `/`, `?` or `:`),
/// the host to the next `/` or `?`, the database to the `?`, and a parameter's name is
/// percent-decoded (`pass%77ord=` is the password too).
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The client ends the credentials at the first `@`; an `@` the person left unencoded in a
    // password ends them later, at the last `@` before the host's `/` or `?`. Both are hidden.
    let split = rest.find('@').map(|first| {
        let host_end = rest[first..]
            .find(['/', '?'])
            .map_or(rest.len(), |i| first + i);
        rest[..host_end].rfind('@').unwrap_or(first)
    });
    let (credentials, rest) = match split.map(|at| (&rest[..at], &rest[at + 1..])) {
        Some((credentials, after)) => {
            let shown = match credentials.split_once(':') {
                Some((user, _)) => format!("{user}:***@"),
                None => format!("{credentials}@"),
            };
            (shown, after)
        }
        None => (String::new(), rest),
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let query = query.map(|query| {
        let parts: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if decoded(key).eq_ignore_ascii_case("password") => {
                    format!("{key}=***")
                }
                Some(_) => pair.to_string(),
                // The client refuses a parameter without `=`; it might be a password mistyped.
                None => "***".to_string(),
            })
            .collect();
        format!("?{}", parts.join("&"))
    });
    format!(
        "{scheme}://{credentials}{before_query}{}",
        query.unwrap_or_default()
    )
}

/// Percent-decoding as the client does it (invalid sequences kept as they are).
fn decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_wherever_the_url_holds_them() {
        assert_eq!(
            hide_password("postgres://alice:s3cr%40t@db.example.org:5432/tasks"),
            "postgres://alice:***@db.example.org:5432/tasks"
        );
        assert_eq!(
            hide_password("postgresql://bob@db/tasks?sslmode=require&password=hunter2"),
            "postgresql://bob@db/tasks?sslmode=require&password=***"
        );
        assert_eq!(
            hide_password("postgres://carol:p@ss@db/t"),
            "postgres://carol:***@db/t"
        );
        assert_eq!(hide_password("postgres://db/tasks"), "postgres://db/tasks");
    }

    #[test]
    fn only_postgres_urls_name_a_server() {
        assert!(Server::from_arg("postgres://db/tasks").is_some());
        assert!(Server::from_arg("POSTGRESQL://db/tasks").is_some());
        assert!(Server::from_arg("tasks.db").is_none());
        assert!(Server::from_arg("./postgres://x").is_none());
        let server = Server::from_arg("postgres://a:pw@db.example.org:5432/tasks").unwrap();
        assert_eq!(
            format!("{server:?}"),
            "Server(\"postgres://a:***@db.example.org:5432/tasks\")"
        );
        assert_eq!(server.file_stem(), "db.example.org-5432-tasks");
    }

    /// Every form the client library reads a password from is hidden: a password holding `/`,
    /// `?`, `:` or `@`, and a parameter whose name is percent-encoded.
    #[test]
    fn a_password_is_hidden_however_the_url_spells_it() {
        for (url, shown) in [
            ("postgres://u:S3CRET/x@host/db", "postgres://u:***@host/db"),
            (
                "postgres://u:ab?cd@host/db?sslmode=disable",
                "postgres://u:***@host/db?sslmode=disable",
            ),
            ("postgres://u:a:b@host/db", "postgres://u:***@host/db"),
            (
                "postgres://carol:S3CRET@ss@db/t",
                "postgres://carol:***@db/t",
            ),
            (
                "postgres://u@host/db?pass%77ord=S3CRET",
                "postgres://u@host/db?pass%77ord=***",
            ),
            (
                "postgres://u@host/db?PASSWORD=S3CRET&x=1",
                "postgres://u@host/db?PASSWORD=***&x=1",
            ),
            ("postgres://u@host/db?S3CRET", "postgres://u@host/db?***"),
        ] {
            assert_eq!(hide_password(url), shown, "{url}");
            assert!(!hide_password(url).contains("S3CRET"));
        }
    }

    /// One database, one name; two databases, two names.
    #[test]
    fn backups_of_one_database_share_a_name_and_of_two_do_not() {
        let stem = |url: &str| Server::from_arg(url).unwrap().file_stem();
        assert_eq!(
            stem("postgres://u@localhost/tasks"),
            stem("postgres://u@127.0.0.1:5432/tasks")
        );
        assert_eq!(stem("postgres://u@localhost/tasks"), "localhost-5432-tasks");
        assert_ne!(
            stem("postgres://u@h/adv_main"),
            stem("postgres://u@h/adv-main")
        );
        assert_ne!(stem("postgres://u@h:5432/a"), stem("postgres://u@h:5433/a"));
        assert_eq!(stem("postgres://alice@h"), "h-5432-alice");
        assert!(!stem("postgres://u:se?cret@h/db").contains("se"));
    }
}
