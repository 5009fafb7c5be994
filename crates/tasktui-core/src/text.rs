//! Text from a file made safe for the terminal: control, format and line-separator characters
//! become visible placeholders. Used by the interface and by every command that prints.

use std::borrow::Cow;

/// Characters that reorder, hide or join text without being seen: Unicode's format characters
/// (category Cf, tag characters included), the line and paragraph separators (Zl, Zp), and the
/// blank fillers that render as nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{FFFE}'..='\u{FFFF}' | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

/// Whether `c` must be replaced by a visible placeholder.
pub fn needs_placeholder(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

fn push_placeholder(out: &mut String, c: char) {
    match c {
        // C0 controls as the Control Pictures block shows them: ␀ … ␟ (ESC becomes ␛).
        '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\x7f' => out.push('␡'),
        // C1 controls and invisible format characters by their code point, so a reader can
        // tell a right-to-left override from a zero-width space.
        _ => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
    }
}

/// JSON text with every character that `needs_placeholder` written as a `\uXXXX` escape (a
/// surrogate pair above U+FFFF): the same JSON to a parser, nothing hidden on a terminal.
pub fn json_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if needs_placeholder(c) && c != '\n' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One line of text, every control character visible (a line break shows as ␊).
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_placeholder) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_placeholder(c) {
            push_placeholder(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Multi-line text as lines, tabs as spaces, everything else as `clean`.
pub fn clean_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| clean(&line.replace('\t', "    ")).into_owned())
        .collect()
}

/// `text` cut to `width` terminal columns, ending in `…` when something was cut.
pub fn fit(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// A path as a shell reads it back, for a command tasktui suggests: see [`shell_word`]; a
/// relative path that begins with `-` gets `./` in front, so that no command takes it for an
/// option, and bytes that are not UTF-8 are written as bash's `$'\xNN'`.
pub fn shell_quote(path: &std::path::Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let dashed = bytes.first() == Some(&b'-');
    let prefix = if dashed { "./" } else { "" };
    match std::str::from_utf8(bytes) {
        Ok(text) => shell_word(&format!("{prefix}{text}")),
        Err(_) => {
            let mut out = format!("{prefix}$'");
            for &byte in bytes {
                match byte {
                    b'\'' | b'\\' => out.push_str(&format!("\\{}", char::from(byte))),
                    0x20..=0x7e => out.push(char::from(byte)),
                    _ => out.push_str(&format!("\\x{byte:02x}")),
                }
            }
            out.push('\'');
            out
        }
    }
}

/// Text as one word a shell reads back as it is: bare when it holds only safe characters, else
/// in single quotes (`$(touch x)` stays text), so that a suggested command works when pasted.
pub fn shell_word(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A number as tasktui writes every count: `10000` as `10,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count and its noun, singular for one: `1 task`, `0 tasks`, `10,000 tasks`.
pub fn count(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    let n: u64 = n.try_into().unwrap_or(u64::MAX);
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// One line on standard error, made safe (a path or a holder's name read from a file may hold
/// escape sequences), ignoring a closed stderr: there is nobody left to tell. How a backend
/// says it is waiting while a command waits.
pub fn notice(line: &str) {
    to_stderr(&format!("{line}\n"));
}

/// Text on standard error as it is given (no line break added), each line made safe; a closed
/// stderr is ignored.
pub fn to_stderr(text: &str) {
    use std::io::Write;
    let safe: Vec<_> = text
        .split('\n')
        .map(|part| clean(part).into_owned())
        .collect();
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{}", safe.join("\n"));
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one_and_grouped_by_thousands() {
        assert_eq!(count(1u64, "task", "tasks"), "1 task");
        assert_eq!(count(0usize, "task", "tasks"), "0 tasks");
        assert_eq!(count(10_000i64, "user", "users"), "10,000 users");
        assert_eq!(
            count(-1i64, "user", "users"),
            format!("{} users", thousands(u64::MAX))
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn json_keeps_its_meaning_and_shows_nothing_hidden() {
        let value = serde_json::json!({"t": "a\u{202E}b\u{E0041}c\u{1b}[2J"});
        let safe = json_safe(&serde_json::to_string_pretty(&value).unwrap());
        assert!(
            safe.chars().all(|c| c == '\n' || !needs_placeholder(c)),
            "{safe}"
        );
        assert!(
            safe.contains("\\u202e") && safe.contains("\\udb40\\udc41"),
            "{safe}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        use std::path::Path;
        assert_eq!(shell_quote(Path::new("/tmp/a-b_c.db")), "/tmp/a-b_c.db");
        assert_eq!(shell_quote(Path::new("/tmp/my db")), "'/tmp/my db'");
        assert_eq!(shell_quote(Path::new("/tmp/it's")), "'/tmp/it'\\''s'");
        assert_eq!(shell_quote(Path::new("-rf.db")), "./-rf.db");
        assert_eq!(shell_word("$(touch PWN)"), "'$(touch PWN)'");
        use std::os::unix::ffi::OsStrExt;
        let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9 it's.db");
        assert_eq!(shell_quote(Path::new(latin1)), "$'caf\\xe9 it\\'s.db'");
    }

    #[test]
    fn fit_cuts_with_an_ellipsis_by_columns() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a long title", 6), "a lon…");
        assert_eq!(fit("日本語のタイトル", 7), "日本語…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(clean("Écrire 日本語 🎉"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_and_controls_become_visible() {
        assert_eq!(clean("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(clean("\u{1b}]0;title\u{7}"), "␛]0;title␇");
        assert_eq!(clean("x\ny\0"), "x␊y␀");
        assert_eq!(clean("\u{9b}2J\u{7f}"), "⟨U+009B⟩2J␡");
    }

    #[test]
    fn bidirectional_overrides_and_zero_width_characters_become_visible() {
        assert_eq!(clean("abc\u{202E}fed\u{202C}"), "abc⟨U+202E⟩fed⟨U+202C⟩");
        assert_eq!(
            clean("a\u{200B}b\u{2066}c\u{FEFF}"),
            "a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩"
        );
    }

    #[test]
    fn tag_characters_separators_and_soft_hyphens_become_visible() {
        assert_eq!(clean("a\u{E0041}\u{E007F}b"), "a⟨U+E0041⟩⟨U+E007F⟩b");
        assert_eq!(clean("a\u{2028}b\u{2029}"), "a⟨U+2028⟩b⟨U+2029⟩");
        assert_eq!(clean("soft\u{AD}hyphen"), "soft⟨U+00AD⟩hyphen");
        assert_eq!(clean("\u{3164}\u{115F}"), "⟨U+3164⟩⟨U+115F⟩");
    }

    #[test]
    fn description_lines_keep_their_breaks() {
        assert_eq!(clean_lines("one\n\ttwo\u{1b}"), ["one", "    two␛"]);
    }
}
