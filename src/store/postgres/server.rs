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

    /// The URL to connect with, password and all: for the client only, never for a message.
    pub(super) fn secret_url(&self) -> &str {
        &self.url
    }

    /// The URL's host, user and database as a file name (`db.example.org-5432-tasks`), for
    /// backups named after the database.
    pub fn file_stem(&self) -> String {
        let rest = self.shown.split_once("://").map_or("", |(_, rest)| rest);
        let rest = rest.split('?').next().unwrap_or(rest);
        let host_path = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
        let stem: String = host_path
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let stem = stem.trim_matches('-');
        if stem.is_empty() {
            "postgres".into()
        } else {
            stem.to_string()
        }
    }
}

/// `postgres://alice:secret@host/db?password=x` → `postgres://alice:***@host/db?password=***`.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(at) => before_query.split_at(at),
        None => (before_query, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_string(),
    };
    let query = query.map(|q| {
        let parts: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        format!("?{}", parts.join("&"))
    });
    format!("{scheme}://{authority}{path}{}", query.unwrap_or_default())
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
}
