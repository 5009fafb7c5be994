//! Every parser of typed text takes arbitrary Unicode without panicking: due dates, usernames,
//! emails, titles, descriptions, tags and tag edits, the assignee narrowing, tag completion and
//! the search (through a real store, with tags).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use chrono::NaiveDate;
use proptest::prelude::*;
use tasktui::app::TagEdit;
use tasktui::app::form::{Choice, matching, tag_completion};
use tasktui::model::{
    UserId, parse_due, parse_tags, validate_description, validate_email, validate_title,
    validate_user, validate_username,
};
use tasktui_core::seam::Counts;
use tasktui_core::seam::Tasks;
use tasktui_sqlite::{Store, TaskFilter};

/// Text made of the pieces parsers look at (signs, digits, units, separators) mixed with
/// multi-byte characters, format characters and arbitrary code points.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "+",
            "-",
            "@",
            ".",
            "d",
            "w",
            "3",
            "2026",
            "-12-",
            "01",
            " ",
            "next",
            "week",
            "fri",
            "é",
            "周",
            "🎉",
            "\u{202E}",
            "\u{200B}",
            "\u{E0041}",
            "\u{2028}",
            "\u{AD}",
            "\"",
            "%",
            "_",
            "\\",
            "*",
            "NEAR",
            "(",
            ")",
            "#",
            "'",
            "\0",
            "\u{1b}",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn due_dates_with_a_multibyte_unit_are_refused_not_a_panic() {
    for input in [
        "+3é",
        "+é",
        "+1周",
        "+🎉",
        "+",
        "+d",
        "+-1d",
        "2026-1é-01",
        "é026-12-01",
    ] {
        let error = parse_due(input, today()).unwrap_err();
        assert!(error.message.contains("is not a date"), "{input}: {error}");
    }
    assert_eq!(
        parse_due("+3d", today()).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 27)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn text_parsers_never_panic(text in typed(), other in any::<String>()) {
        for input in [&text, &other] {
            let _ = parse_due(input, today());
            let _ = parse_due(input, NaiveDate::MAX);
            let _ = parse_due(input, NaiveDate::MIN);
            let _ = validate_username(input);
            let _ = validate_email(input);
            let _ = validate_user(input, input, input);
            let _ = validate_title(input);
            let _ = validate_description(input);
            let users = [Choice { id: UserId(1), username: "alice".into(), full_name: input.clone() }];
            let _ = matching(&users, input);
            let _ = parse_tags(input);
            let _ = TagEdit::parse(input).map(|edit| edit.applied_to(std::slice::from_ref(input)));
            let _ = tag_completion(input, &[input.clone(), "backend".into(), "é".into()]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_search_text_is_answered_by_the_store(text in typed()) {
        thread_local! {
            static STORE: Store = {
                let store = Store::open_in_memory().unwrap();
                store.create_task(&tasktui::model::TaskFields::titled("Écrire 日本語 the report")).unwrap();
                store.create_task(&tasktui::model::TaskFields {
                    tags: vec!["area/api".into(), "é_1".into()],
                    ..tasktui::model::TaskFields::titled("tagged")
                }).unwrap();
                store
            };
        }
        STORE.with(|store| {
            let filter = TaskFilter { search: Some(text.clone()), ..TaskFilter::default() };
            let total = store.count_tasks(&filter).unwrap();
            let rows = store.list_tasks(&filter, 0, 50).unwrap();
            prop_assert_eq!(total, rows.len() as u64, "count and page disagree for {:?}", text);
            Ok(())
        })?;
    }
}

/// Config text of the pieces a config file is made of, mixed with anything.
fn config_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "[keys.panes]\n",
            "[keys.tasks]\n",
            "[theme]\n",
            "[dates]\n",
            "[start]\n",
            "[keys]\n",
            "undo = ",
            "add = ",
            "toggle-done = ",
            "accent = ",
            "base = ",
            "format = ",
            "filter = ",
            "me = ",
            "mouse = ",
            "\"x\"",
            "\"ctrl-\"",
            "\"shift-é\"",
            "[\"g g\", \"f99\"]",
            "\"%Q%\"",
            "\"%-\"",
            "\"#12345\"",
            "true",
            "1",
            "\n",
            "[",
            "]",
            "=",
            "\"",
            ".",
            "#",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn config_parsers_never_panic(text in config_text(), key in typed(), other in any::<String>()) {
        let (config, _) = tasktui::config::parse(&text);
        // What was read draws: a date in its format, the help with its keys.
        let _ = config.dates.whole(today());
        let _ = config.keys.help();
        let _ = config.keys.conflicts();
        for input in [&key, &other] {
            let _ = tasktui::keymap::Key::parse(input).map(|k| (k.label(), k.notation()));
            let _ = tasktui::config::parse_colour(input);
        }
    }
}
