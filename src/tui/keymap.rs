//! Key bindings: the embedded `assets/keymap.toml` parsed into a [`Keymap`],
//! user overrides applied by action name, and key events looked up.
//!
//! In: TOML text and override maps. Out: the [`Action`] for a key event, and
//! the bindings in order for the help screen, the status hints and
//! `docs/keys.md`.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rustc_hash::FxHashMap;
use serde::Deserialize;

/// The key bindings shipped with storydiff.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    NextChange,
    PrevChange,
    PrevVariant,
    NextVariant,
    ToggleCanonical,
    Open,
    SwitchView,
    Overview,
    Help,
    Back,
    Quit,
    ToggleFurniture,
    ToggleStyle,
    Search,
    Export,
    Reload,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::HalfPageUp,
        Action::HalfPageDown,
        Action::Top,
        Action::Bottom,
        Action::NextChange,
        Action::PrevChange,
        Action::PrevVariant,
        Action::NextVariant,
        Action::ToggleCanonical,
        Action::Open,
        Action::SwitchView,
        Action::Overview,
        Action::Help,
        Action::Back,
        Action::Quit,
        Action::ToggleFurniture,
        Action::ToggleStyle,
        Action::Search,
        Action::Export,
        Action::Reload,
    ];

    /// The name used in the keymap file and in user config.
    pub fn name(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::HalfPageUp => "half_page_up",
            Action::HalfPageDown => "half_page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextChange => "next_change",
            Action::PrevChange => "prev_change",
            Action::PrevVariant => "prev_variant",
            Action::NextVariant => "next_variant",
            Action::ToggleCanonical => "toggle_canonical",
            Action::Open => "open",
            Action::SwitchView => "switch_view",
            Action::Overview => "overview",
            Action::Help => "help",
            Action::Back => "back",
            Action::Quit => "quit",
            Action::ToggleFurniture => "toggle_furniture",
            Action::ToggleStyle => "toggle_style",
            Action::Search => "search",
            Action::Export => "export",
            Action::Reload => "reload",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// A key with the modifiers that matter (Ctrl, Alt; Shift only for non-characters,
/// since a character already carries its case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        // Terminals send Shift-Tab as BackTab.
        let code = if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
            KeyCode::BackTab
        } else {
            code
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Key { code, modifiers }
    }

    /// Whether the key types a character into a text field.
    pub fn types(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    /// Parse a key name as written in the keymap: `j`, `G`, `?`, `Ctrl-d`, `PageUp`, `F1`.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            if let Some(r) = strip_prefix_ci(rest, "ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some('↑'), None) => KeyCode::Up,
            (Some('↓'), None) => KeyCode::Down,
            (Some('←'), None) => KeyCode::Left,
            (Some('→'), None) => KeyCode::Right,
            (Some(c), None) => KeyCode::Char(c),
            (None, _) => return Err("empty key name".into()),
            _ => match rest.to_ascii_lowercase().as_str() {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                "space" => KeyCode::Char(' '),
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("unknown key name '{rest}'")),
                },
                _ => return Err(format!("unknown key name '{rest}'")),
            },
        };
        // Ctrl with a letter arrives lower case from terminals.
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Ok(Key::new(code, modifiers))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() > prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One action with its keys and the words shown for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub action: Action,
    pub keys: Vec<Key>,
    /// The help screen's section.
    pub group: String,
    pub description: String,
    /// A word or two for the status bar's key hints.
    pub hint: Option<String>,
}

/// Why a keymap or an override could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("the keymap is not valid TOML: {0}")]
    Parse(String),
    #[error("unknown action '{name}' in the key bindings (actions: {known})")]
    UnknownAction { name: String, known: String },
    #[error("action '{action}': {reason}")]
    BadKey { action: String, reason: String },
    #[error(
        "key {key} is bound to both '{first}' and '{second}': a key can do one thing, so give one of them other keys"
    )]
    Conflict {
        key: String,
        first: String,
        second: String,
    },
    #[error("action '{0}' is bound twice in the keymap")]
    Duplicate(String),
    #[error("the keymap has no binding for '{0}'")]
    MissingAction(String),
}

#[derive(Deserialize)]
struct FileBinding {
    action: String,
    keys: Vec<String>,
    group: String,
    description: String,
    hint: Option<String>,
}

#[derive(Deserialize)]
struct FileKeymap {
    binding: Vec<FileBinding>,
}

/// Every binding, in the order of the keymap file, and a lookup by key.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    by_key: FxHashMap<Key, Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The embedded file is part of the program; a unit test parses it.
        Keymap::parse(DEFAULT_KEYMAP).unwrap_or_else(|e| panic!("embedded keymap: {e}"))
    }
}

impl Keymap {
    /// Parse a keymap file. Every action must appear exactly once.
    pub fn parse(text: &str) -> Result<Keymap, KeymapError> {
        let file: FileKeymap =
            toml::from_str(text).map_err(|e| KeymapError::Parse(e.to_string()))?;
        let mut bindings: Vec<Binding> = Vec::with_capacity(file.binding.len());
        for b in file.binding {
            let action = unknown_action(&b.action)?;
            if bindings.iter().any(|x| x.action == action) {
                return Err(KeymapError::Duplicate(b.action));
            }
            bindings.push(Binding {
                action,
                keys: parse_keys(&b.action, &b.keys)?,
                group: b.group,
                description: b.description,
                hint: b.hint,
            });
        }
        if let Some(a) = Action::ALL
            .iter()
            .find(|a| !bindings.iter().any(|b| b.action == **a))
        {
            return Err(KeymapError::MissingAction(a.name().to_owned()));
        }
        Keymap::index(bindings)
    }

    /// The same bindings with some actions given new keys (by action name).
    /// An action bound to `[]` is left without keys.
    pub fn with_overrides(
        &self,
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<Keymap, KeymapError> {
        let mut bindings = self.bindings.clone();
        for (name, keys) in overrides {
            let action = unknown_action(name)?;
            let keys = parse_keys(name, keys)?;
            if let Some(b) = bindings.iter_mut().find(|b| b.action == action) {
                b.keys = keys;
            }
        }
        Keymap::index(bindings)
    }

    fn index(bindings: Vec<Binding>) -> Result<Keymap, KeymapError> {
        let mut by_key = FxHashMap::default();
        for b in &bindings {
            for k in &b.keys {
                if let Some(prev) = by_key.insert(*k, b.action)
                    && prev != b.action
                {
                    return Err(KeymapError::Conflict {
                        key: k.to_string(),
                        first: prev.name().to_owned(),
                        second: b.action.name().to_owned(),
                    });
                }
            }
        }
        Ok(Keymap { bindings, by_key })
    }

    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::from_event(ev)).copied()
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    pub fn binding(&self, action: Action) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.action == action)
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.binding(action)
            .map(|b| b.keys.as_slice())
            .unwrap_or(&[])
    }

    /// The keys of an action as shown to the user: "↑ k".
    pub fn keys_label(&self, action: Action) -> String {
        let keys: Vec<String> = self.keys(action).iter().map(Key::to_string).collect();
        if keys.is_empty() {
            "(unbound)".to_owned()
        } else {
            keys.join(" ")
        }
    }

    /// The keys of an action that do not type text (arrows, Enter, Esc,
    /// Ctrl-…), for dialogs where characters type.
    pub fn dialog_keys(&self, action: Action) -> Vec<String> {
        self.keys(action)
            .iter()
            .filter(|k| !k.types())
            .map(Key::to_string)
            .collect()
    }

    /// The first key of an action, for compact hints.
    pub fn first_key(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(Key::to_string)
    }

    /// The bindings as a Markdown document (docs/keys.md).
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "# storydiff keys\n\n\
             Generated from `assets/keymap.toml` (the help screen, `?` or F1, shows the same).\n\
             Arrow keys and vim keys both work. Rebind an action by its name in the config,\n\
             e.g. `next_change = [\"x\"]`; a key bound to two actions is reported as a conflict.\n\
             Ctrl-C always quits. In the story list, typing a character that is not bound\n\
             starts the filter; while the filter is active, every character types into it\n\
             (arrows move, Enter opens, Esc clears it). While searching, keys type text\n\
             (Enter accepts, Esc cancels).\n",
        );
        let mut group = "";
        for b in &self.bindings {
            if b.group != group {
                group = &b.group;
                out.push_str(&format!(
                    "\n## {group}\n\n| Action | Keys | What it does |\n| --- | --- | --- |\n"
                ));
            }
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{k}`")).collect();
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                b.action.name(),
                keys.join(" "),
                b.description.replace('|', "\\|")
            ));
        }
        out.push_str(
            "\n## Export dialog\n\n\
             `e` (export) in the side-by-side view writes the pair shown, with the view's\n\
             choices (furniture shown or folded, style-only changes shown or hidden); in the\n\
             overview it writes the whole story. The format and file name start from the\n\
             config's `[export]` section. In the dialog, characters type into the file name.\n\n\
             | Keys | What they do |\n| --- | --- |\n",
        );
        for (keys, what) in super::export_dialog::key_help(self) {
            let keys: Vec<String> = keys.split(' ').map(|k| format!("`{k}`")).collect();
            out.push_str(&format!("| {} | {what} |\n", keys.join(" ")));
        }
        out.push_str(
            "\n## Colours and markers\n\n\
             The colours below are the default theme's (`dark`). Choose another in the config\n\
             (`[interface.theme] name = ...`): `light` keeps yellow and cyan off text, which fade\n\
             on white; `high-contrast` draws highlights as text on colour and dims nothing;\n\
             `colorblind` uses orange (the terminal's yellow) and blue in place of red and green,\n\
             and strikes removed words through. Single parts can be recoloured in\n\
             `[interface.theme.colors]`. Without colour (`NO_COLOR`, `--color never`) the\n\
             reverse, underline and italic markers still tell the changes apart.\n\n\
             | Looks like | Means |\n| --- | --- |\n\
             | red, reversed (left) | words removed or replaced (wording) |\n\
             | green, reversed (right) | words added or replacing (wording) |\n\
             | magenta, underlined, changed letters reversed | spelling change (`Ashti[na]i` / `Ashti[an]i`) |\n\
             | cyan, italic and underlined | style-only change (punctuation, case, `US`/`U.S.`); `s` hides them |\n\
             | `~` in the gutter | the paragraph changed |\n\
             | `+` / `-` in the gutter | the paragraph is only on this side |\n\
             | `≠` in the gutter | rewritten: shown as before/after blocks |\n\
             | `↕` in the gutter | moved: the marker names the paragraph's other place |\n\
             | `★` | the story's canonical version |\n\
             | `⋯ N furniture lines` | folded page furniture; `f` shows it |\n",
        );
        out
    }
}

fn unknown_action(name: &str) -> Result<Action, KeymapError> {
    Action::from_name(name).ok_or_else(|| KeymapError::UnknownAction {
        name: name.to_owned(),
        known: Action::ALL.map(Action::name).join(", "),
    })
}

fn parse_keys(action: &str, keys: &[String]) -> Result<Vec<Key>, KeymapError> {
    keys.iter()
        .map(|k| {
            Key::parse(k).map_err(|reason| KeymapError::BadKey {
                action: action.to_owned(),
                reason,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyEventKind, KeyEventState};

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn embedded_keymap_parses_and_covers_every_action() {
        let km = Keymap::default();
        for a in Action::ALL {
            assert!(!km.keys(a).is_empty(), "{} has no key", a.name());
        }
        assert_eq!(
            km.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('N'), KeyModifiers::SHIFT)),
            Some(Action::PrevChange)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('d'), KeyModifiers::CONTROL)),
            Some(Action::HalfPageDown)
        );
        assert_eq!(
            km.action(&ev(KeyCode::F(1), KeyModifiers::NONE)),
            Some(Action::Help)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::NONE)),
            Some(Action::ToggleCanonical)
        );
    }

    #[test]
    fn overrides_rebind_and_report_conflicts() {
        let km = Keymap::default();
        let mut o = BTreeMap::new();
        o.insert(
            "next_change".to_owned(),
            vec!["x".to_owned(), "Ctrl-n".to_owned()],
        );
        let km2 = km.with_overrides(&o).unwrap();
        assert_eq!(
            km2.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::NextChange)
        );
        assert_eq!(
            km2.action(&ev(KeyCode::Char('n'), KeyModifiers::NONE)),
            None
        );

        o.insert("next_change".to_owned(), vec!["j".to_owned()]);
        let err = km.with_overrides(&o).unwrap_err();
        assert!(matches!(err, KeymapError::Conflict { .. }), "{err}");
        assert!(err.to_string().contains("'down'"));

        let mut bad = BTreeMap::new();
        bad.insert("fly".to_owned(), vec!["x".to_owned()]);
        assert!(matches!(
            km.with_overrides(&bad),
            Err(KeymapError::UnknownAction { .. })
        ));
        bad.clear();
        bad.insert("quit".to_owned(), vec!["Hyper-x".to_owned()]);
        assert!(matches!(
            km.with_overrides(&bad),
            Err(KeymapError::BadKey { .. })
        ));
    }

    #[test]
    fn key_names_round_trip() {
        for name in [
            "↑", "→", "j", "G", "?", "Ctrl-d", "PgUp", "F1", "Enter", "Esc", "Tab", "Space",
            "Alt-x",
        ] {
            let k = Key::parse(name).unwrap();
            assert_eq!(Key::parse(&k.to_string()).ok(), Some(k), "{name}");
        }
        assert_eq!(Key::parse("ctrl-U").unwrap(), Key::parse("Ctrl-u").unwrap());
    }
}
