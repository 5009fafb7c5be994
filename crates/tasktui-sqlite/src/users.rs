//! Reads and writes of users.
use tasktui_core::seam::Changes;

use super::{Result, Store, StoreError, count, optional_text, text};
use crate::from_sqlite;
use rusqlite::OptionalExtension;
use tasktui_core::model::{
    Change, Expect, Field, User, UserChanges, UserFields, UserId, UserSummary, ValidationError,
};
use tasktui_core::seam::Users;

pub use tasktui_core::model::Handoff;

const USER_COLUMNS: &str = "u.id, u.username, u.full_name, u.email, u.created_at, u.row_version";

fn read_user(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get(0)?),
        username: text(row, 1)?,
        full_name: text(row, 2)?,
        email: optional_text(row, 3)?,
        created_at: text(row, 4)?,
        version: super::integer(row, 5, 1)?,
    })
}

/// Emails compared without case in every script: SQLite's NOCASE folds ASCII only, so
/// `ÄLICE@x.io` and `älice@x.io` would both be accepted.
fn fold(email: &str) -> String {
    email.to_uppercase().to_lowercase()
}

/// Refuses an email another user has, ignoring case in every script.
pub(super) fn check_email_free(
    conn: &rusqlite::Connection,
    email: Option<&str>,
    except: Option<UserId>,
) -> Result<()> {
    let Some(email) = email else {
        return Ok(());
    };
    let wanted = fold(email);
    let mut statement = conn
        .prepare_cached("SELECT id, email FROM users WHERE email IS NOT NULL")
        .map_err(from_sqlite)?;
    let mut rows = statement.query([]).map_err(from_sqlite)?;
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let id = UserId(row.get(0).map_err(from_sqlite)?);
        if Some(id) != except && fold(&text(row, 1).map_err(from_sqlite)?) == wanted {
            return Err(ValidationError {
                field: Field::Email,
                message: "another user has that email".into(),
            }
            .into());
        }
    }
    Ok(())
}

impl Store {
    pub fn create_user(&self, fields: &UserFields) -> Result<UserId> {
        let applied = self.apply(&Change::CreateUser(fields.clone()))?;
        Ok(UserId(applied.created.unwrap_or_default()))
    }

    /// Saves the fields an edit changed, to the user as it was at `version`; refused when
    /// another process changed or deleted the user since.
    pub fn update_user(&self, id: UserId, version: i64, changes: &UserChanges) -> Result<()> {
        if *changes == UserChanges::default() {
            return Ok(());
        }
        self.apply(&Change::UpdateUser {
            id,
            expect: Expect::Version(version),
            changes: changes.clone(),
        })
        .map(|_| ())
    }

    /// Deletes a user after unassigning their tasks or handing them to another user, in one
    /// transaction. Returns how many tasks changed hands.
    pub fn delete_user(&self, id: UserId, version: i64, handoff: Handoff) -> Result<usize> {
        self.apply(&Change::DeleteUser {
            id,
            expect: Expect::Version(version),
            handoff,
        })
        .map(|applied| applied.moved)
    }
}

impl Users for Store {
    /// Every user by username, with their open tasks and the open ones past due, from the
    /// counts the database keeps: a sum over the user's due dates, whatever the number of tasks.
    fn list_users(&self) -> Result<Vec<UserSummary>> {
        let today = self.clock.today().to_string();
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {USER_COLUMNS},
                (SELECT ifnull(sum(n), 0) FROM task_counts c WHERE c.assignee = u.id AND c.done = 0),
                (SELECT ifnull(sum(n), 0) FROM task_counts c WHERE c.assignee = u.id AND c.done = 0
                    AND c.due > '' AND c.due < ?1)
             FROM users u ORDER BY u.username, u.id"
        )).map_err(from_sqlite)?;
        let rows = statement
            .query_map([today], |row| {
                Ok(UserSummary {
                    user: read_user(row)?,
                    open_tasks: count(row, 6)?,
                    overdue_tasks: count(row, 7)?,
                })
            })
            .map_err(from_sqlite)?;
        rows.collect::<rusqlite::Result<_>>().map_err(from_sqlite)
    }

    fn get_user(&self, id: UserId) -> Result<User> {
        self.conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?1"),
                [id.0],
                read_user,
            )
            .optional()
            .map_err(from_sqlite)?
            .ok_or(StoreError::NotFound("this user"))
    }

    /// How many tasks (of any status) are assigned to the user.
    fn count_user_tasks(&self, id: UserId) -> Result<u64> {
        self.conn
            .query_row(
                "SELECT ifnull(sum(n), 0) FROM task_counts WHERE assignee = ?1",
                [id.0],
                |row| count(row, 0),
            )
            .map_err(from_sqlite)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_store as store;
    use crate::{Assignee, Handoff, Store, StoreError, TaskFilter, Tasks, Users};
    use tasktui_core::model::{Field, Status, TaskFields, validate_user};

    fn user(store: &Store, name: &str) -> tasktui_core::model::UserId {
        store
            .create_user(&validate_user(name, "", "").unwrap())
            .unwrap()
    }

    fn task_for(
        store: &Store,
        title: &str,
        who: tasktui_core::model::UserId,
        due: Option<&str>,
        status: Status,
    ) {
        let mut fields = TaskFields::titled(title);
        fields.assignee = Some(who);
        fields.status = status;
        fields.due = due.map(|d| d.parse().unwrap());
        store.create_task(&fields).unwrap();
    }

    #[test]
    fn create_get_and_update_a_user() {
        let store = store();
        let id = store
            .create_user(&validate_user("alice", "Alice Liddell", "alice@example.com").unwrap())
            .unwrap();
        let alice = store.get_user(id).unwrap();
        assert_eq!(alice.username, "alice");
        assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
        assert_eq!(alice.created_at, "2026-11-23T10:00:00Z");
        store
            .update_user(id, 1, &validate_user("alice2", "A. L.", "").unwrap().into())
            .unwrap();
        let alice = store.get_user(id).unwrap();
        assert_eq!(
            (
                alice.username.as_str(),
                alice.full_name.as_str(),
                alice.email
            ),
            ("alice2", "A. L.", None)
        );
    }

    #[test]
    fn duplicate_username_and_email_are_reported_on_their_fields() {
        let store = store();
        store
            .create_user(&validate_user("alice", "", "a@x.io").unwrap())
            .unwrap();
        let err = store
            .create_user(&validate_user("ALICE", "", "").unwrap())
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(v) if v.field == Field::Username),
            "{err}"
        );
        assert_eq!(err.to_string(), "that username is taken");
        let err = store
            .create_user(&validate_user("bob", "", "A@X.io").unwrap())
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid(v) if v.field == Field::Email),
            "{err}"
        );
        // Two users without an email are fine.
        user(&store, "carol");
        user(&store, "dave");
    }

    #[test]
    fn list_users_counts_open_and_overdue_tasks() {
        let store = store();
        let bob = user(&store, "bob");
        let alice = user(&store, "alice");
        task_for(&store, "late", alice, Some("2026-11-01"), Status::Todo);
        task_for(
            &store,
            "late but done",
            alice,
            Some("2026-11-01"),
            Status::Done,
        );
        task_for(
            &store,
            "due today",
            alice,
            Some("2026-11-23"),
            Status::Doing,
        );
        task_for(&store, "no date", alice, None, Status::Todo);
        let users = store.list_users().unwrap();
        let names: Vec<_> = users.iter().map(|u| u.user.username.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
        assert_eq!((users[0].open_tasks, users[0].overdue_tasks), (3, 1));
        assert_eq!((users[1].open_tasks, users[1].overdue_tasks), (0, 0));
        assert_eq!(users[1].user.id, bob);
    }

    #[test]
    fn deleting_a_user_can_unassign_their_tasks() {
        let store = store();
        let alice = user(&store, "alice");
        task_for(&store, "one", alice, None, Status::Todo);
        task_for(&store, "two", alice, None, Status::Done);
        assert_eq!(store.count_user_tasks(alice).unwrap(), 2);
        assert_eq!(store.delete_user(alice, 1, Handoff::Unassign).unwrap(), 2);
        assert!(matches!(
            store.get_user(alice),
            Err(StoreError::NotFound(_))
        ));
        let unassigned = TaskFilter::assigned_to(Assignee::Unassigned);
        let tasks = store.list_tasks(&unassigned, 0, 10).unwrap();
        assert_eq!(tasks.len(), 2);
        assert!(
            tasks.iter().all(|t| t.version == 2),
            "moving a task bumps its version"
        );
    }

    #[test]
    fn deleting_a_user_can_hand_their_tasks_to_another() {
        let store = store();
        let alice = user(&store, "alice");
        let bob = user(&store, "bob");
        task_for(&store, "one", alice, None, Status::Todo);
        assert_eq!(
            store
                .delete_user(alice, 1, Handoff::ReassignTo(bob))
                .unwrap(),
            1
        );
        let bobs = TaskFilter::assigned_to(Assignee::User(bob));
        let tasks = store.list_tasks(&bobs, 0, 10).unwrap();
        assert_eq!(tasks[0].assignee_name.as_deref(), Some("bob"));
    }

    #[test]
    fn a_failed_handoff_deletes_nothing() {
        let store = store();
        let alice = user(&store, "alice");
        task_for(&store, "one", alice, None, Status::Todo);
        let gone = tasktui_core::model::UserId(999);
        assert!(matches!(
            store.delete_user(alice, 1, Handoff::ReassignTo(gone)),
            Err(StoreError::NotFound(_))
        ));
        assert!(
            store
                .delete_user(alice, 1, Handoff::ReassignTo(alice))
                .is_err()
        );
        assert_eq!(store.get_user(alice).unwrap().username, "alice");
        assert_eq!(store.count_user_tasks(alice).unwrap(), 1);
    }

    #[test]
    fn updating_or_deleting_a_missing_user_says_so() {
        let store = store();
        let ghost = tasktui_core::model::UserId(7);
        assert!(matches!(
            store.update_user(ghost, 1, &validate_user("x", "", "").unwrap().into()),
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.delete_user(ghost, 1, Handoff::Unassign),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn a_stale_user_edit_or_delete_is_refused_and_changes_nothing() {
        let store = store();
        let alice = user(&store, "alice");
        // Another interface saved a change of alice meanwhile (version 1 → 2).
        store
            .update_user(
                alice,
                1,
                &validate_user("alice", "Alice L.", "").unwrap().into(),
            )
            .unwrap();
        let stale = store
            .update_user(
                alice,
                1,
                &validate_user("alice", "", "a@x.io").unwrap().into(),
            )
            .unwrap_err();
        assert!(matches!(stale, StoreError::Changed("this user")), "{stale}");
        let stale = store.delete_user(alice, 1, Handoff::Unassign).unwrap_err();
        assert!(matches!(stale, StoreError::Changed("this user")), "{stale}");
        let kept = store.get_user(alice).unwrap();
        assert_eq!(
            (kept.full_name.as_str(), kept.email, kept.version),
            ("Alice L.", None, 2)
        );
    }

    #[test]
    fn emails_are_unique_ignoring_case_in_every_script() {
        let store = store();
        store
            .create_user(&validate_user("a", "", "ÄLICE@x.io").unwrap())
            .unwrap();
        let bob = user(&store, "bob");
        let taken = store
            .create_user(&validate_user("b", "", "älice@X.io").unwrap())
            .unwrap_err();
        assert_eq!(taken.to_string(), "another user has that email");
        let taken = store
            .update_user(
                bob,
                1,
                &validate_user("bob", "", "Älice@x.IO").unwrap().into(),
            )
            .unwrap_err();
        assert_eq!(taken.to_string(), "another user has that email");
    }
}
