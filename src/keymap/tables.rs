//! The key tables in force, as one value: the defaults patched by the config file, with the
//! lookups the interface makes and the conflicts a config can create.

use super::{Action, Binding, Context, Key, TEXT_KEYS};
use ratatui::crossterm::event::KeyEvent;

/// Two actions one key asks for where both are read: the later one can never be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: Key,
    pub first: (Context, Action),
    pub second: (Context, Action),
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |(context, action): (Context, Action)| {
            format!("{} [keys.{}]", action.name().unwrap_or("?"), context.name())
        };
        write!(
            f,
            "\"{}\" is bound to both {} and {}",
            self.key.notation(),
            name(self.first),
            name(self.second)
        )
    }
}

/// The key tables in force: the defaults, patched by the person's config file. Key lookup, the
/// help overlay, the status bar hints and every message that names a key read this one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: Vec<(Context, Vec<Binding>)>,
}

impl std::default::Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            tables: Context::ALL
                .iter()
                .map(|&c| {
                    let bindings = c
                        .defaults()
                        .iter()
                        .map(|d| Binding {
                            keys: d.keys.to_vec(),
                            action: d.action,
                            help: d.help,
                            hint: d.hint,
                        })
                        .collect();
                    (c, bindings)
                })
                .collect(),
        }
    }
}

impl Keymap {
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.tables
            .iter()
            .find(|(c, _)| *c == context)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    /// Binds `action` of `context` to `keys` instead of its keys so far (none unbinds it).
    /// `Err` names the contexts that have the action when this one does not.
    pub fn bind(&mut self, context: Context, action: Action, keys: Vec<Key>) -> Result<(), String> {
        let name = action.name().unwrap_or("?");
        if let Some((_, table)) = self.tables.iter_mut().find(|(c, _)| *c == context)
            && let Some(binding) = table.iter_mut().find(|b| b.action == action)
        {
            binding.keys = keys;
            return Ok(());
        }
        let elsewhere: Vec<String> = Context::ALL
            .iter()
            .filter(|c| c.defaults().iter().any(|d| d.action == action))
            .map(|c| format!("[keys.{}]", c.name()))
            .collect();
        Err(format!(
            "{name} is not an action of [keys.{}]; it is one of {}",
            context.name(),
            elsewhere.join(", ")
        ))
    }

    /// The action a key means in the given contexts, searched in order.
    pub fn lookup(&self, contexts: &[Context], event: &KeyEvent) -> Option<Action> {
        contexts
            .iter()
            .flat_map(|&c| self.bindings(c))
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    }

    /// The first key of `action` in `context` as the screen shows it, for messages that name
    /// a key (`press a to add one`); `(unbound)` when a person took its keys away.
    pub fn key_for(&self, context: Context, action: Action) -> String {
        self.bindings(context)
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map_or_else(|| "(unbound)".to_string(), |k| k.label())
    }

    /// ("a", "add", Action::Add), … for the status bar, in the order of the contexts. A key an
    /// earlier context binds to something else means that there (`q` closes the help rather than
    /// quitting), so a later context's hint for it is left out.
    pub fn hints(&self, contexts: &[Context]) -> Vec<(String, &'static str, Action)> {
        let mut taken: Vec<&Key> = Vec::new();
        let mut hints = Vec::new();
        for &context in contexts {
            let bindings = self.bindings(context);
            for b in bindings {
                let Some(first) = b.keys.first() else {
                    continue;
                };
                if let Some(word) = b.hint
                    && !taken.contains(&first)
                {
                    hints.push((first.label(), word, b.action));
                }
            }
            taken.extend(bindings.iter().flat_map(|b| b.keys.iter()));
        }
        hints
    }

    /// Every binding of every context, for the help overlay: (section, [(keys, what it does)]).
    pub fn help(&self) -> Vec<(String, Vec<(String, &'static str)>)> {
        Context::ALL
            .iter()
            .map(|&c| {
                let title = match self.opened_by(c) {
                    Some(keys) => format!("{} ({keys})", c.title()),
                    None => c.title().to_string(),
                };
                let rows = self
                    .bindings(c)
                    .iter()
                    .map(|b| {
                        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                        let keys = if keys.is_empty() {
                            "(unbound)".to_string()
                        } else {
                            keys.join(", ")
                        };
                        (keys, b.help)
                    })
                    .collect();
                (title, rows)
            })
            .chain(std::iter::once((
                "In text fields".to_string(),
                TEXT_KEYS
                    .iter()
                    .map(|(k, what)| (k.to_string(), *what))
                    .collect(),
            )))
            .collect()
    }

    /// The keys that open a prompt or menu from the Tasks pane, as bound now (`f #` for the
    /// tag picker); `None` for the contexts no key opens.
    fn opened_by(&self, context: Context) -> Option<String> {
        let tasks = |action| self.key_for(Context::Tasks, action);
        Some(match context {
            Context::Due => tasks(Action::SetDue),
            Context::Assign => tasks(Action::Assign),
            Context::Filter => tasks(Action::Filter),
            Context::Tags => tasks(Action::SetTags),
            Context::TagPicker => format!(
                "{} {}",
                tasks(Action::Filter),
                self.key_for(Context::Filter, Action::FilterTag)
            ),
            _ => return None,
        })
    }

    /// Every key bound to two actions where both are read (`Context::groups`), and every key
    /// that also suspends (suspending is looked up first, in every mode, forms included).
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut found: Vec<Conflict> = Vec::new();
        let mut add = |conflict: Conflict| {
            let same = |c: &Conflict| {
                c.key == conflict.key
                    && ((c.first, c.second) == (conflict.first, conflict.second)
                        || (c.first, c.second) == (conflict.second, conflict.first))
            };
            if !found.iter().any(same) {
                found.push(conflict);
            }
        };
        for group in Context::groups() {
            let bound: Vec<(Key, Context, Action)> = group
                .iter()
                .flat_map(|&c| {
                    self.bindings(c)
                        .iter()
                        .flat_map(move |b| b.keys.iter().map(move |&k| (k, c, b.action)))
                })
                .collect();
            for (i, &(key, c1, a1)) in bound.iter().enumerate() {
                for &(other, c2, a2) in &bound[i + 1..] {
                    if key == other && (c1, a1) != (c2, a2) {
                        add(Conflict {
                            key,
                            first: (c1, a1),
                            second: (c2, a2),
                        });
                    }
                }
            }
        }
        let suspend: Vec<Key> = self
            .bindings(Context::Global)
            .iter()
            .filter(|b| b.action == Action::Suspend)
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for &c in &Context::ALL {
            for b in self.bindings(c) {
                if b.action == Action::Suspend {
                    continue;
                }
                for &key in b.keys.iter().filter(|k| suspend.contains(k)) {
                    add(Conflict {
                        key,
                        first: (Context::Global, Action::Suspend),
                        second: (c, b.action),
                    });
                }
            }
        }
        found
    }
}
