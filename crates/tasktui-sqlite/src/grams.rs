//! The index of words too short for the trigram index (V11): every byte and pair of bytes of a
//! task's lower-cased title and description, as hex words (`71` for q, `7175` for qu). The
//! triggers fill it through the `task_grams` view, in SQL, so that any tool's write keeps it;
//! a load of many tasks and `db check` compute the same words here, far faster.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use std::fmt::Write;

/// Bytes of a text read into the index; a longer text also carries [`LONG`].
pub const READ: usize = 16_384;

/// The word of a task one of whose texts is longer than [`READ`] bytes: a search tests its
/// text itself.
pub const LONG: &str = "x";

/// The name of the SQL function `grams(title, description)` that [`register`] adds.
pub const FUNCTION: &str = "tasktui_grams";

/// The words of a task's title and description, as the `task_grams` view of V11 gives them
/// (in the order they first occur; the view's order is its own, and the index keeps none).
pub fn of_task(texts: [Option<&[u8]>; 2]) -> Option<String> {
    // Which bytes and pairs were seen: a bit each, kept between calls and cleared after use (a
    // load computes this for every task).
    thread_local! {
        static SEEN: std::cell::RefCell<Vec<u64>> =
            std::cell::RefCell::new(vec![0; (256 + 256 * 256) / 64]);
    }
    SEEN.with_borrow_mut(|seen| {
        let mut found: Vec<usize> = Vec::new();
        let mut long = false;
        let mut mark = |word: usize| {
            let bit = 1u64 << (word % 64);
            if seen[word / 64] & bit == 0 {
                seen[word / 64] |= bit;
                found.push(word);
            }
        };
        for text in texts.into_iter().flatten() {
            for (at, &byte) in text.iter().take(READ).enumerate() {
                let byte = byte.to_ascii_lowercase();
                if byte <= b' ' {
                    continue;
                }
                mark(usize::from(byte));
                // A pair starting at the last byte read ends past it, as the view's does.
                if let Some(next) = text
                    .get(at + 1)
                    .map(u8::to_ascii_lowercase)
                    .filter(|&next| next > b' ')
                {
                    mark(256 + usize::from(byte) * 256 + usize::from(next));
                }
            }
            long |= text.len() > READ;
        }
        let mut words = String::with_capacity(found.len() * 5 + 2);
        for &word in &found {
            seen[word / 64] = 0;
            if !words.is_empty() {
                words.push(' ');
            }
            let _ = if word < 256 {
                write!(words, "{word:02X}")
            } else {
                write!(words, "{:04X}", word - 256)
            };
        }
        if long {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(LONG);
        }
        (!words.is_empty()).then_some(words)
    })
}

/// Adds `tasktui_grams(title, description)` to `conn`: [`of_task`] in SQL, for a statement that
/// fills the index for many tasks at once (call it with `CAST(… AS TEXT)` of each column).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        FUNCTION,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let title = as_text(ctx.get_raw(0));
            let description = as_text(ctx.get_raw(1));
            Ok(of_task([title.as_deref(), description.as_deref()]))
        },
    )
}

/// A column's value as text. Callers pass `CAST(column AS TEXT)`, so that a number another tool
/// wrote reads as SQLite's `lower()` reads it; anything else is taken as its bytes.
fn as_text(value: ValueRef<'_>) -> Option<Vec<u8>> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string().into_bytes()),
        ValueRef::Real(r) => Some(r.to_string().into_bytes()),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Some(bytes.to_vec()),
    }
}

/// How a search word of one or two letters is looked up in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The FTS5 query: every word the search word's bytes make, all required.
    pub query: String,
    /// Whether the index alone decides: a word of one or two bytes (every ASCII word, and one
    /// letter of two bytes). A longer one (`é` with another letter) is a prefilter whose matches
    /// the text must confirm.
    pub exact: bool,
}

/// The lookup of a search word, lower-cased as SQLite's `lower()` does (ASCII only, as LIKE
/// compares). `None` for a word that holds a byte up to a space, which no index word has.
pub fn lookup(word: &str) -> Option<Lookup> {
    let bytes = word.as_bytes().to_ascii_lowercase();
    if bytes.is_empty() || bytes.iter().any(|&b| b <= b' ') {
        return None;
    }
    let words: Vec<String> = if let [byte] = bytes[..] {
        vec![format!("{byte:02X}")]
    } else {
        bytes
            .windows(2)
            .map(|pair| format!("{:02X}{:02X}", pair[0], pair[1]))
            .collect()
    };
    Some(Lookup {
        query: words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" AND "),
        exact: bytes.len() <= 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_gives_its_bytes_and_pairs_without_spaces() {
        assert_eq!(
            of_task([Some(b"Qu a"), Some(b"")]).as_deref(),
            Some("71 7175 75 61")
        );
        assert_eq!(of_task([Some(b"  "), None]), None);
        let long = vec![b'a'; READ + 1];
        assert_eq!(
            of_task([Some(b"b"), Some(&long)]).as_deref(),
            Some("62 61 6161 x")
        );
    }

    #[test]
    fn a_word_is_its_bytes_or_its_pairs() {
        assert_eq!(
            lookup("Q"),
            Some(Lookup {
                query: "\"71\"".into(),
                exact: true
            })
        );
        assert_eq!(lookup("qU").map(|l| l.query), Some("\"7175\"".into()));
        let e = lookup("é").unwrap();
        assert_eq!((e.query.as_str(), e.exact), ("\"C3A9\"", true));
        let ea = lookup("éa").unwrap();
        assert_eq!(
            (ea.query.as_str(), ea.exact),
            ("\"C3A9\" AND \"A961\"", false)
        );
        assert_eq!(lookup("a b"), None);
    }
}
