//! Tests of validation and due-date parsing.
use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

// 2026-11-23 is a Monday.
const MONDAY: &str = "2026-11-23";

fn due(input: &str) -> Result<Option<NaiveDate>, ValidationError> {
    parse_due(input, day(MONDAY))
}

#[test]
fn due_accepts_iso_dates_and_everyday_words() {
    assert_eq!(due("2026-12-01").unwrap(), Some(day("2026-12-01")));
    assert_eq!(due(" 2026-12-01 ").unwrap(), Some(day("2026-12-01")));
    assert_eq!(due("today").unwrap(), Some(day(MONDAY)));
    assert_eq!(due("Today").unwrap(), Some(day(MONDAY)));
    assert_eq!(due("tomorrow").unwrap(), Some(day("2026-11-24")));
    assert_eq!(due("tom").unwrap(), Some(day("2026-11-24")));
    assert_eq!(due("yesterday").unwrap(), Some(day("2026-11-22")));
    assert_eq!(due("fri").unwrap(), Some(day("2026-11-27")));
    assert_eq!(due("Friday").unwrap(), Some(day("2026-11-27")));
    assert_eq!(due("sun").unwrap(), Some(day("2026-11-29")));
    assert_eq!(due("+3d").unwrap(), Some(day("2026-11-26")));
    assert_eq!(due("+0d").unwrap(), Some(day(MONDAY)));
    assert_eq!(due("+2w").unwrap(), Some(day("2026-12-07")));
    assert_eq!(due("next week").unwrap(), Some(day("2026-11-30")));
    assert_eq!(due("next   WEEK").unwrap(), Some(day("2026-11-30")));
}

#[test]
fn a_weekday_named_on_that_day_means_next_week() {
    assert_eq!(due("mon").unwrap(), Some(day("2026-11-30")));
    assert_eq!(due("monday").unwrap(), Some(day("2026-11-30")));
}

#[test]
fn next_week_from_a_sunday_is_the_next_day() {
    assert_eq!(
        parse_due("next week", day("2026-11-29")).unwrap(),
        Some(day("2026-11-30"))
    );
}

#[test]
fn due_takes_the_words_people_type_in_taskwarrior_and_in_sentences() {
    // Monday 2026-11-23.
    for (typed, meant) in [
        ("-1d", "2026-11-22"),
        ("3 days ago", "2026-11-20"),
        ("+1m", "2026-12-23"),
        ("+1y", "2027-11-23"),
        ("in 2 weeks", "2026-12-07"),
        ("in a week", "2026-11-30"),
        ("2 weeks", "2026-12-07"),
        ("next friday", "2026-11-27"),
        ("this fri", "2026-11-27"),
        ("next monday", "2026-11-30"),
        ("eod", "2026-11-23"),
        ("eow", "2026-11-29"),
        ("sow", "2026-11-30"),
        ("eom", "2026-11-30"),
        ("som", "2026-12-01"),
        ("next month", "2026-12-01"),
        ("eoy", "2026-12-31"),
        ("soy", "2027-01-01"),
        ("dec 24", "2026-12-24"),
        ("24 December", "2026-12-24"),
        ("sept 3", "2027-09-03"),
        ("nov 23", "2026-11-23"),
        ("nov 22", "2027-11-22"),
        ("feb 29 2028", "2028-02-29"),
    ] {
        assert_eq!(due(typed).unwrap(), Some(day(meant)), "{typed}");
    }
    // One month on from the 31st is the last day of a shorter month.
    assert_eq!(
        parse_due("+1m", day("2027-01-31")).unwrap(),
        Some(day("2027-02-28"))
    );
    for nonsense in [
        "d",
        "+d",
        "may",
        "feb 30",
        "feb 29 2027",
        "in weeks",
        "ma 3",
        "32 dec",
    ] {
        assert!(due(nonsense).is_err(), "{nonsense}");
    }
}

#[test]
fn due_empty_dash_or_none_clears_the_date() {
    assert_eq!(due("").unwrap(), None);
    assert_eq!(due("   ").unwrap(), None);
    assert_eq!(due("-").unwrap(), None);
    assert_eq!(due("none").unwrap(), None);
}

#[test]
fn due_refuses_what_is_not_a_date_and_says_what_works() {
    for bad in [
        "2026-02-30",
        "2026-13-01",
        "2026-1-1x",
        "31/12/2026",
        "soon",
        "+3",
        "+d",
        "+3x",
        "+-3d",
        "+99999999999999999999d",
        "+40000d",
        "next",
        "0000-01-01",
    ] {
        let err = due(bad).unwrap_err();
        assert_eq!(err.field, Field::Due, "{bad}");
        assert!(
            err.message.contains("is not a date"),
            "{bad}: {}",
            err.message
        );
        assert!(err.message.contains("tomorrow"), "{bad}");
    }
}

#[test]
fn title_is_trimmed_and_required() {
    assert_eq!(validate_title("  Write docs \n").unwrap(), "Write docs");
    assert_eq!(validate_title("").unwrap_err().message, "title is required");
    let err = validate_title(" \t \n ").unwrap_err();
    assert_eq!(err.field, Field::Title);
    assert_eq!(err.message, "title is required");
}

#[test]
fn title_pasted_with_line_breaks_and_tabs_becomes_one_line() {
    assert_eq!(validate_title("fix\tthe\r\nbug").unwrap(), "fix the  bug");
}

#[test]
fn title_refuses_nul_escape_and_overlong_input() {
    assert!(
        validate_title("a\0b")
            .unwrap_err()
            .message
            .contains("control characters")
    );
    assert!(
        validate_title("a\u{1b}[31mb")
            .unwrap_err()
            .message
            .contains("control characters")
    );
    let long = "x".repeat(10_000);
    let err = validate_title(&long).unwrap_err();
    assert_eq!(
        err.message,
        "title is 10000 characters long; the limit is 200"
    );
    assert!(
        validate_title(&"é".repeat(TITLE_MAX)).is_ok(),
        "the limit counts characters"
    );
}

#[test]
fn username_rules() {
    assert_eq!(validate_username(" alice ").unwrap(), "alice");
    assert_eq!(validate_username("a.b_c-9").unwrap(), "a.b_c-9");
    assert_eq!(validate_username("7up").unwrap(), "7up");
    assert_eq!(
        validate_username("").unwrap_err().message,
        "username is required"
    );
    assert!(
        validate_username("al ice")
            .unwrap_err()
            .message
            .contains("only letters")
    );
    assert!(
        validate_username("älice")
            .unwrap_err()
            .message
            .contains("only letters")
    );
    assert!(
        validate_username("_alice")
            .unwrap_err()
            .message
            .contains("start with")
    );
    assert!(
        validate_username(&"a".repeat(33))
            .unwrap_err()
            .message
            .contains("limit is 32")
    );
    assert!(validate_username(&"a".repeat(32)).is_ok());
    assert_eq!(validate_username("a\0").unwrap_err().field, Field::Username);
}

#[test]
fn email_is_optional_and_must_look_like_an_address() {
    assert_eq!(validate_email("").unwrap(), None);
    assert_eq!(validate_email("  ").unwrap(), None);
    assert_eq!(validate_email(" a@b.co ").unwrap(), Some("a@b.co".into()));
    for bad in [
        "a", "a@", "@b.co", "a@b", "a@@b.co", "a@b..co", "a@.b.co", "a@b.co.", "a b@c.de",
    ] {
        let err = validate_email(bad).unwrap_err();
        assert_eq!(err.field, Field::Email, "{bad}");
        assert!(err.message.contains("is not an email address"), "{bad}");
    }
}

#[test]
fn user_validation_reports_the_first_bad_field() {
    let ok = validate_user("bob", " Bob Smith ", "bob@example.com").unwrap();
    assert_eq!(ok.full_name, "Bob Smith");
    assert_eq!(
        validate_user("bob", "x", "nope").unwrap_err().field,
        Field::Email
    );
    assert_eq!(
        validate_user("", "x", "nope").unwrap_err().field,
        Field::Username
    );
    let long_name = "n".repeat(FULL_NAME_MAX + 1);
    assert_eq!(
        validate_user("bob", &long_name, "").unwrap_err().field,
        Field::FullName
    );
}

#[test]
fn description_keeps_lines_and_refuses_control_characters() {
    assert_eq!(
        validate_description("a\r\nb\n\tc\n\n").unwrap(),
        "a\nb\n\tc"
    );
    assert_eq!(
        validate_description("x\u{7}").unwrap_err().field,
        Field::Description
    );
    let long = "d".repeat(DESCRIPTION_MAX + 1);
    assert!(
        validate_description(&long)
            .unwrap_err()
            .message
            .contains("limit is 10000")
    );
}

#[test]
fn status_cycles_and_reads_unknown_values_as_todo() {
    assert_eq!(Status::Todo.next(), Status::Doing);
    assert_eq!(Status::Doing.next(), Status::Done);
    assert_eq!(Status::Done.next(), Status::Todo);
    assert_eq!(Status::from_db("done"), Status::Done);
    assert_eq!(Status::from_db("DONE?"), Status::Todo);
    assert!(Status::Doing.is_open() && !Status::Done.is_open());
}

#[test]
fn priority_round_trips_and_clamps_odd_values() {
    for p in Priority::ALL {
        assert_eq!(Priority::from_db(p.as_db()), p);
    }
    assert_eq!(Priority::from_db(-5), Priority::None);
    assert_eq!(Priority::from_db(42), Priority::High);
}

#[test]
fn usernames_and_emails_refuse_invisible_formatting_characters() {
    for hidden in [
        '\u{200B}',
        '\u{200D}',
        '\u{202E}',
        '\u{2066}',
        '\u{AD}',
        '\u{E0041}',
        '\u{FEFF}',
    ] {
        let email = format!("ali{hidden}ce@example.com");
        let error = validate_email(&email).unwrap_err();
        assert!(
            error.message.contains("invisible formatting characters"),
            "{error}"
        );
        assert!(validate_username(&format!("ali{hidden}ce")).is_err());
    }
    assert!(validate_email("alice@example.com").is_ok());
}
