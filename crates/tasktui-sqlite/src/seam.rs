//! SQLite's side of the backend seam (`Database`, in the core crate): the trait's methods are
//! `Store`'s own. File administration (probe, lock, backup, migrations) stays on this side.

use super::{Applied, Export, HistoryEntry, Imported, Result, TaskFilter};
use std::path::Path;
use tasktui_core::clock::Clock;
use tasktui_core::model::{Change, TagCount, Task, TaskId, User, UserId, UserSummary};
pub use tasktui_core::seam::{Database, Interrupt};

impl Database for super::Store {
    fn list_users(&self) -> Result<Vec<UserSummary>> {
        super::Store::list_users(self)
    }
    fn get_user(&self, id: UserId) -> Result<User> {
        super::Store::get_user(self, id)
    }
    fn recount_kept(&self, filter: &TaskFilter) -> Result<Option<u64>> {
        super::Store::recount_kept(self, filter)
    }
    fn export(&self) -> Result<Export> {
        super::Store::export(self)
    }
    fn import(&self, data: &Export, dry: bool, again: bool) -> Result<Imported> {
        super::Store::import(self, data, dry, again)
    }
    fn count_user_tasks(&self, id: UserId) -> Result<u64> {
        super::Store::count_user_tasks(self, id)
    }
    fn list_tags(&self) -> Result<Vec<TagCount>> {
        super::Store::list_tags(self)
    }
    fn list_tasks(&self, filter: &TaskFilter, offset: u64, limit: u64) -> Result<Vec<Task>> {
        super::Store::list_tasks(self, filter, offset, limit)
    }
    fn list_tasks_from_end(
        &self,
        filter: &TaskFilter,
        from_end: u64,
        limit: u64,
    ) -> Result<Vec<Task>> {
        super::Store::list_tasks_from_end(self, filter, from_end, limit)
    }
    fn count_tasks(&self, filter: &TaskFilter) -> Result<u64> {
        super::Store::count_tasks(self, filter)
    }
    fn count_tasks_up_to(&self, filter: &TaskFilter, most: u64) -> Result<(u64, bool)> {
        super::Store::count_tasks_up_to(self, filter, most)
    }
    fn task_position(&self, filter: &TaskFilter, id: TaskId) -> Result<Option<u64>> {
        super::Store::task_position(self, filter, id)
    }
    fn get_task(&self, id: TaskId) -> Result<Task> {
        super::Store::get_task(self, id)
    }
    fn task_history(&self, id: TaskId, limit: u32) -> Result<Vec<HistoryEntry>> {
        super::Store::task_history(self, id, limit)
    }
    fn apply(&self, change: &Change) -> Result<Applied> {
        super::Store::apply(self, change)
    }
    fn undo(&self) -> Result<Option<String>> {
        super::Store::undo(self)
    }
    fn redo(&self) -> Result<Option<String>> {
        super::Store::redo(self)
    }
    fn writable(&self) -> Result<()> {
        super::Store::writable(self)
    }
    fn read_only_reason(&self) -> Option<&str> {
        super::Store::read_only_reason(self)
    }
    fn check_alive(&self) -> Result<()> {
        super::Store::check_file(self)
    }
    fn change_counter(&self) -> Result<i64> {
        super::Store::data_version(self)
    }
    fn tidy(&self) -> Result<()> {
        super::Store::tidy(self)
    }
    fn clock(&self) -> Clock {
        super::Store::clock(self)
    }
    fn author(&self) -> Option<&str> {
        super::Store::author(self)
    }
    fn file(&self) -> Option<&Path> {
        super::Store::path(self)
    }
}
