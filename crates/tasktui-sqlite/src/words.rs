//! How a search's words become SQL: the indexes that find the tasks holding them (the trigram
//! index for words of three letters or more, the index of short words for the others), the
//! tasks whose tags name them, and the test of one task for one word.

use super::grams;
use rusqlite::types::Value;
use tasktui_core::query::TaskFilter;
use tasktui_core::stored::like_escaped;

/// The search's words that some tag's name holds, as the store found them: only those look
/// at tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Naming {
    pub words: Vec<String>,
    /// Fewer tasks hold the other words than carry those tags: each is tested for the tags,
    /// rather than every tagged task gathered.
    pub test_each: bool,
}

/// Words this short cannot use the trigram index, which needs three characters: the grams
/// index (V11) holds them.
pub(super) const TRIGRAM: usize = 3;

/// A search's words as SQLite's index lookups.
pub(crate) trait SearchSql {
    /// The ids of the tasks whose title or description holds every word of the search, from
    /// the indexes; its parameters are appended to `values`.
    fn text_ids(&self, values: &mut Vec<Value>) -> Option<String>;

    /// The ids of the tasks whose text holds every word of the search but `naming`'s.
    fn text_ids_besides(&self, naming: &[String], values: &mut Vec<Value>) -> Option<String>;

    /// The ids of the tasks every word of the search finds, in the title or description or in
    /// a tag's name: the text's matches, and when some words name tags (`naming`, as the store
    /// found them), the tasks carrying such a tag whose text holds the other words, each
    /// tested. Its parameters are appended to `values`.
    fn search_ids(&self, values: &mut Vec<Value>, naming: &Naming) -> Option<String>;
}

impl SearchSql for TaskFilter {
    fn text_ids(&self, values: &mut Vec<Value>) -> Option<String> {
        text_ids(&self.words(), values)
    }

    fn text_ids_besides(&self, naming: &[String], values: &mut Vec<Value>) -> Option<String> {
        let others: Vec<String> = self
            .words()
            .into_iter()
            .filter(|w| !naming.contains(w))
            .collect();
        text_ids(&others, values)
    }

    fn search_ids(&self, values: &mut Vec<Value>, naming: &Naming) -> Option<String> {
        let words = self.words();
        let text = text_ids(&words, values)?;
        let test_each = naming.test_each;
        let naming: Vec<&String> = words.iter().filter(|w| naming.words.contains(w)).collect();
        if naming.is_empty() {
            return Some(text);
        }
        let names: Vec<String> = naming
            .iter()
            .map(|w| {
                values.push(Value::Text(format!("%{}%", like_escaped(w))));
                format!("name LIKE ?{} ESCAPE '\\'", values.len())
            })
            .collect();
        let others: Vec<String> = words
            .iter()
            .filter(|w| !naming.contains(w))
            .cloned()
            .collect();
        let tagged = format!(
            "SELECT DISTINCT tt.task_id FROM task_tags tt WHERE tt.tag_id IN
                (SELECT id FROM tags WHERE {})",
            names.join(" OR ")
        );
        let others = text_ids(&others, values);
        if others.is_none() && naming.len() == 1 {
            // One word, naming tags: carrying such a tag is a match, nothing to test.
            return Some(format!(
                "SELECT id FROM ({text}) UNION SELECT task_id FROM ({tagged})"
            ));
        }
        let every: Vec<String> = naming.iter().map(|w| word_test(w, true, values)).collect();
        // The tasks whose text holds the other words, each looked up among the tagged ones
        // (gathered once): neither set is read twice.
        let candidates = match others {
            // Few tasks hold the other words: each is tested, and every match is one of them.
            Some(others) if test_each => {
                return Some(format!(
                    "SELECT t.id FROM ({others}) AS m CROSS JOIN tasks t ON t.id = m.id WHERE {}",
                    every.join(" AND ")
                ));
            }
            Some(others) => format!(
                "({others}) AS m CROSS JOIN ({tagged}) AS f ON f.task_id = m.id
                 CROSS JOIN tasks t ON t.id = m.id"
            ),
            None => format!("({tagged}) AS f CROSS JOIN tasks t ON t.id = f.task_id"),
        };
        Some(format!(
            "SELECT id FROM ({text}) UNION SELECT t.id FROM {candidates} WHERE {}",
            every.join(" AND ")
        ))
    }
}

/// The ids of the tasks whose title or description holds every one of `words`, from the
/// indexes: the trigram index for words of three letters or more (all of them in one query),
/// the grams index (V11) for shorter ones. Its parameters are appended to `values`.
fn text_ids(words: &[String], values: &mut Vec<Value>) -> Option<String> {
    let (long, short): (Vec<&String>, Vec<&String>) =
        words.iter().partition(|w| w.chars().count() >= TRIGRAM);
    let trigram = (!long.is_empty()).then(|| {
        let query: Vec<String> = long
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        values.push(Value::Text(query.join(" AND ")));
        format!(
            "SELECT rowid AS id FROM tasks_search WHERE tasks_search MATCH ?{}",
            values.len()
        )
    });
    let lookups: Vec<grams::Lookup> = short.iter().filter_map(|w| grams::lookup(w)).collect();
    let grams = (!short.is_empty()).then(|| {
        let query = lookups
            .iter()
            .map(|l| format!("({})", l.query))
            .collect::<Vec<_>>()
            .join(" AND ");
        // A task with a text longer than the index reads, and every match of a word the
        // index only narrows, is tested on its text.
        let tested: Vec<String> = short.iter().map(|w| text_like(w, values)).collect();
        let tested = tested.join(" AND ");
        let long = grams::LONG;
        if lookups.iter().all(|l| l.exact) {
            // The two parts never share a task, so their rows stream (UNION ALL).
            values.push(Value::Text(format!("\"{long}\" NOT ({query})")));
            values.push(Value::Text(query));
            format!(
                "SELECT rowid AS id FROM tasks_grams WHERE tasks_grams MATCH ?{}
                 UNION ALL SELECT t.id FROM tasks t WHERE t.id IN
                    (SELECT rowid FROM tasks_grams WHERE tasks_grams MATCH ?{})
                    AND {tested}",
                values.len(),
                values.len() - 1
            )
        } else {
            values.push(Value::Text(format!("({query}) OR \"{long}\"")));
            format!(
                "SELECT t.id FROM tasks t WHERE t.id IN
                    (SELECT rowid FROM tasks_grams WHERE tasks_grams MATCH ?{})
                    AND {tested}",
                values.len()
            )
        }
    });
    match (trigram, grams) {
        (Some(trigram), Some(grams)) => Some(format!("{trigram} INTERSECT {grams}")),
        (trigram, grams) => trigram.or(grams),
    }
}

/// Whether the task `t` holds `word` in its title, description or a tag's name. A word of plain
/// ASCII, or of one or two letters, is a LIKE (the indexes and LIKE agree on it: either case,
/// anywhere in the text); a longer word of other letters is looked up in the trigram index,
/// whose case folding covers every alphabet.
/// Tags are looked at only when `tags` (some tag's name holds the word).
pub(super) fn word_test(word: &str, tags: bool, values: &mut Vec<Value>) -> String {
    values.push(Value::Text(format!("%{}%", like_escaped(word))));
    let like = values.len();
    let text = if word.is_ascii() || word.chars().count() < TRIGRAM {
        format!("t.title LIKE ?{like} ESCAPE '\\' OR t.description LIKE ?{like} ESCAPE '\\'")
    } else {
        values.push(Value::Text(format!("\"{}\"", word.replace('"', "\"\""))));
        format!(
            "t.id IN (SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?{})",
            values.len()
        )
    };
    if !tags {
        return format!("({text})");
    }
    format!(
        "({text} OR EXISTS (SELECT 1 FROM task_tags tt JOIN tags g ON g.id = tt.tag_id
                          WHERE tt.task_id = t.id AND g.name LIKE ?{like} ESCAPE '\\'))"
    )
}

/// Whether the task `t`'s title or description holds `word`, as LIKE compares.
fn text_like(word: &str, values: &mut Vec<Value>) -> String {
    values.push(Value::Text(format!("%{}%", like_escaped(word))));
    let like = values.len();
    format!("(t.title LIKE ?{like} ESCAPE '\\' OR t.description LIKE ?{like} ESCAPE '\\')")
}
