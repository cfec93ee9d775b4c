//! Styles for every part of the interface, in colour or monochrome.
//!
//! In: a theme name and whether colour is allowed. Out: a [`Theme`] of
//! ratatui styles. Colours are the terminal's own ANSI palette (never RGB),
//! so light and dark terminals both read; every change also carries a
//! modifier (reverse, underline, italic) so it shows without colour.

use ratatui::style::{Color, Modifier, Style};

use crate::model::ChangeKind;

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorMode {
    /// Colour unless `NO_COLOR` is set or `TERM` is `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorMode {
    /// Whether colour is used, given the environment.
    pub fn resolve(self, no_color: Option<&str>, term: Option<&str>) -> bool {
        match self {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => no_color.is_none_or(str::is_empty) && term != Some("dumb"),
        }
    }

    /// Whether colour is used, reading `NO_COLOR` and `TERM`.
    pub fn enabled(self) -> bool {
        let no_color = std::env::var("NO_COLOR").ok();
        let term = std::env::var("TERM").ok();
        self.resolve(no_color.as_deref(), term.as_deref())
    }
}

impl std::str::FromStr for ColorMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(ColorMode::Auto),
            "always" => Ok(ColorMode::Always),
            "never" => Ok(ColorMode::Never),
            other => Err(format!(
                "unknown colour mode '{other}' (auto, always, never)"
            )),
        }
    }
}

/// The theme names [`Theme::named`] knows.
pub const THEMES: [&str; 2] = ["default", "mono"];

/// Every style the views use.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: &'static str,
    pub color: bool,
    pub base: Style,
    pub title: Style,
    pub header: Style,
    pub tab_active: Style,
    pub dim: Style,
    pub gutter: Style,
    pub separator: Style,
    pub selected: Style,
    pub filter: Style,
    pub star: Style,
    /// Words of a paragraph only the base has, or only the other has.
    pub removed_para: Style,
    pub added_para: Style,
    pub rewritten_old: Style,
    pub rewritten_new: Style,
    pub filler: Style,
    pub moved: Style,
    pub furniture: Style,
    pub headline: Style,
    pub caption: Style,
    pub focus_marker: Style,
    pub search_hit: Style,
    pub status: Style,
    pub status_key: Style,
    pub info: Style,
    pub error: Style,
    pub cursor: Style,
    pub cell_same: Style,
    pub cell_changed: Style,
    pub cell_missing: Style,
    pub cell_added: Style,
    pub cell_moved: Style,
    pub cell_base: Style,
    wording_old: Style,
    wording_new: Style,
    spelling: Style,
    spelling_letters: Style,
    style_change: Style,
}

impl Theme {
    /// The theme called `name`; `None` for an unknown name. Without colour
    /// every theme falls back to monochrome.
    pub fn named(name: &str, color: bool) -> Option<Theme> {
        match (name, color) {
            ("default" | "dark", true) => Some(Theme::colour()),
            ("default" | "dark", false) | ("mono", _) => Some(Theme::mono()),
            _ => None,
        }
    }

    fn colour() -> Theme {
        let m = Theme::mono();
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            name: "default",
            color: true,
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            tab_active: fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::REVERSED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            filter: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            star: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            removed_para: fg(Color::Red),
            added_para: fg(Color::Green),
            rewritten_old: fg(Color::Red),
            rewritten_new: fg(Color::Green),
            moved: fg(Color::Cyan).add_modifier(Modifier::ITALIC),
            focus_marker: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            search_hit: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            status_key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            info: fg(Color::Green),
            error: fg(Color::Red).add_modifier(Modifier::BOLD),
            cell_changed: fg(Color::Yellow),
            cell_missing: fg(Color::Red).add_modifier(Modifier::DIM),
            cell_added: fg(Color::Green),
            cell_moved: fg(Color::Cyan),
            cell_base: fg(Color::Blue).add_modifier(Modifier::BOLD),
            wording_old: fg(Color::Red).add_modifier(Modifier::REVERSED),
            wording_new: fg(Color::Green).add_modifier(Modifier::REVERSED),
            spelling: fg(Color::Magenta).add_modifier(Modifier::UNDERLINED),
            spelling_letters: fg(Color::Magenta)
                .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::BOLD),
            style_change: fg(Color::Cyan).add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            ..m
        }
    }

    fn mono() -> Theme {
        let s = Style::new();
        Theme {
            name: "mono",
            color: false,
            base: s,
            title: s.add_modifier(Modifier::BOLD),
            header: s.add_modifier(Modifier::BOLD),
            tab_active: s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            dim: s.add_modifier(Modifier::DIM),
            gutter: s.add_modifier(Modifier::DIM),
            separator: s.add_modifier(Modifier::DIM),
            selected: s.add_modifier(Modifier::REVERSED),
            filter: s.add_modifier(Modifier::BOLD),
            star: s.add_modifier(Modifier::BOLD),
            removed_para: s,
            added_para: s,
            rewritten_old: s.add_modifier(Modifier::DIM),
            rewritten_new: s,
            filler: s.add_modifier(Modifier::DIM | Modifier::ITALIC),
            moved: s.add_modifier(Modifier::ITALIC),
            furniture: s.add_modifier(Modifier::DIM),
            headline: s.add_modifier(Modifier::BOLD),
            caption: s.add_modifier(Modifier::ITALIC | Modifier::DIM),
            focus_marker: s.add_modifier(Modifier::BOLD),
            search_hit: s.add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
            status: s.add_modifier(Modifier::REVERSED),
            status_key: s.add_modifier(Modifier::BOLD),
            info: s,
            error: s.add_modifier(Modifier::BOLD),
            cursor: s.add_modifier(Modifier::REVERSED),
            cell_same: s.add_modifier(Modifier::DIM),
            cell_changed: s,
            cell_missing: s.add_modifier(Modifier::DIM),
            cell_added: s.add_modifier(Modifier::BOLD),
            cell_moved: s.add_modifier(Modifier::ITALIC),
            cell_base: s.add_modifier(Modifier::BOLD),
            wording_old: s.add_modifier(Modifier::REVERSED),
            wording_new: s.add_modifier(Modifier::REVERSED),
            spelling: s.add_modifier(Modifier::UNDERLINED),
            spelling_letters: s
                .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED | Modifier::BOLD),
            style_change: s.add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
        }
    }

    /// The style of the words of a change on the base (old) side.
    pub fn change_old(&self, kind: ChangeKind) -> Style {
        match kind {
            ChangeKind::Spelling => self.spelling,
            ChangeKind::Style => self.style_change,
            _ => self.wording_old,
        }
    }

    /// The style of the words of a change on the other (new) side.
    pub fn change_new(&self, kind: ChangeKind) -> Style {
        match kind {
            ChangeKind::Spelling => self.spelling,
            ChangeKind::Style => self.style_change,
            _ => self.wording_new,
        }
    }

    /// The style of the differing letters inside a spelling change.
    pub fn letters(&self) -> Style {
        self.spelling_letters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_and_dumb_terminals_get_monochrome() {
        assert!(ColorMode::Auto.resolve(None, Some("xterm-256color")));
        assert!(!ColorMode::Auto.resolve(Some("1"), Some("xterm")));
        assert!(ColorMode::Auto.resolve(Some(""), Some("xterm")));
        assert!(!ColorMode::Auto.resolve(None, Some("dumb")));
        assert!(ColorMode::Always.resolve(Some("1"), None));
        assert!(!ColorMode::Never.resolve(None, None));
    }

    #[test]
    fn monochrome_still_tells_change_kinds_apart() {
        let t = Theme::named("default", false).unwrap();
        let kinds = [ChangeKind::Spelling, ChangeKind::Style, ChangeKind::Wording];
        for a in kinds {
            assert_ne!(t.change_old(a), Style::new());
            for b in kinds {
                if a != b {
                    assert_ne!(t.change_old(a), t.change_old(b));
                }
            }
        }
        assert!(Theme::named("nope", true).is_none());
    }

    #[test]
    fn colour_theme_uses_only_named_colours() {
        let t = Theme::named("default", true).unwrap();
        for s in [
            t.change_old(ChangeKind::Wording),
            t.change_new(ChangeKind::Wording),
            t.letters(),
            t.star,
        ] {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
    }
}
