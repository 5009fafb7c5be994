//! Text from the database made safe for the terminal: control and bidirectional format
//! characters become visible placeholders (ratatui passes format characters through).

use std::borrow::Cow;

/// Characters that reorder or hide text without being seen.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Whether `c` must be replaced by a visible placeholder.
fn needs_placeholder(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn description_lines_keep_their_breaks() {
        assert_eq!(clean_lines("one\n\ttwo\u{1b}"), ["one", "    two␛"]);
    }
}
