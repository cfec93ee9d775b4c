//! Styles for every part of the interface, in colour or monochrome.
//!
//! In: a theme name (`dark`, `light`, `high-contrast`, `colorblind`,
//! `mono`), colours the user set part by part, and whether colour is
//! allowed. Out: a [`Theme`] of ratatui styles. The built-in themes use the
//! terminal's own ANSI palette (never RGB), so the user's terminal colours
//! apply; every change also carries a modifier (reverse, underline, italic,
//! strike-through) so it shows without colour, and without colour every
//! theme is monochrome.

use std::collections::BTreeMap;
use std::str::FromStr;

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

/// The theme names [`Theme::named`] knows; `default` is also read as `dark`.
pub const THEMES: [&str; 5] = ["dark", "light", "high-contrast", "colorblind", "mono"];

/// Why a theme or one of its colours could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown theme '{0}' (themes: {themes})", themes = THEMES.join(", "))]
    UnknownTheme(String),
    #[error("unknown colour part '{0}' (parts: {parts})", parts = crate::config::COLOR_SLOTS.join(", "))]
    UnknownSlot(String),
    #[error(
        "colour part '{slot}': '{value}' is not a colour (give a colour name such as lightred, or \"#rrggbb\")"
    )]
    BadColor { slot: String, value: String },
}

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
    /// The frame of a dialog.
    pub dialog: Style,
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
        let theme = match name {
            "dark" | "default" => Theme::dark(),
            "light" => Theme::light(),
            "high-contrast" => Theme::high_contrast(),
            "colorblind" => Theme::colorblind(),
            "mono" => Theme::mono(),
            _ => return None,
        };
        Some(if color { theme } else { Theme::mono() })
    }

    /// The theme called `name` with colours set part by part (slot name →
    /// a colour as ratatui's `Color::from_str` reads it: a name or `#rrggbb`).
    /// Without colour the overrides are checked but not applied.
    pub fn from_config(
        name: &str,
        colors: &BTreeMap<String, String>,
        color: bool,
    ) -> Result<Theme, ThemeError> {
        let theme =
            Theme::named(name, color).ok_or_else(|| ThemeError::UnknownTheme(name.to_owned()))?;
        theme.with_colors(colors)
    }

    /// This theme with colours set part by part; see [`Theme::from_config`].
    pub fn with_colors(mut self, colors: &BTreeMap<String, String>) -> Result<Theme, ThemeError> {
        let color = self.color;
        for (slot, value) in colors {
            let c = Color::from_str(value.trim()).map_err(|_| ThemeError::BadColor {
                slot: slot.clone(),
                value: value.clone(),
            })?;
            let targets: Vec<&mut Style> = match slot.as_str() {
                "text" | "background" => vec![&mut self.base],
                "title" => vec![&mut self.title, &mut self.tab_active, &mut self.status_key],
                "dim" => vec![
                    &mut self.dim,
                    &mut self.gutter,
                    &mut self.separator,
                    &mut self.filler,
                ],
                "selected" => vec![&mut self.selected, &mut self.cursor],
                "status" => vec![&mut self.status],
                "error" => vec![&mut self.error],
                "search_hit" => vec![&mut self.search_hit],
                "headline" => vec![&mut self.headline],
                "caption" => vec![&mut self.caption],
                "furniture" => vec![&mut self.furniture],
                "added" => vec![
                    &mut self.added_para,
                    &mut self.rewritten_new,
                    &mut self.cell_added,
                ],
                "removed" => vec![
                    &mut self.removed_para,
                    &mut self.rewritten_old,
                    &mut self.cell_missing,
                ],
                "moved" => vec![&mut self.moved, &mut self.cell_moved],
                "spelling" => vec![&mut self.spelling, &mut self.spelling_letters],
                "style" => vec![&mut self.style_change],
                "wording_old" => vec![&mut self.wording_old],
                "wording_new" => vec![&mut self.wording_new],
                _ => return Err(ThemeError::UnknownSlot(slot.clone())),
            };
            if !color {
                continue;
            }
            for s in targets {
                *s = match slot.as_str() {
                    "text" => s.fg(c),
                    "background" => s.bg(c),
                    _ => tint(*s, c),
                };
            }
        }
        Ok(self)
    }

    /// For dark terminals (the default).
    fn dark() -> Theme {
        let m = Theme::mono();
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            name: "dark",
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
            dialog: fg(Color::Cyan),
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

    /// For light terminals: no yellow or cyan text, which fade on white.
    fn light() -> Theme {
        let d = Theme::dark();
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            name: "light",
            title: fg(Color::Blue).add_modifier(Modifier::BOLD),
            tab_active: fg(Color::Blue).add_modifier(Modifier::BOLD | Modifier::REVERSED),
            filter: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            star: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            moved: fg(Color::Blue).add_modifier(Modifier::ITALIC),
            focus_marker: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            status_key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            dialog: fg(Color::Blue),
            cell_changed: fg(Color::Magenta),
            cell_missing: fg(Color::Red),
            cell_moved: fg(Color::Blue),
            cell_base: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            style_change: fg(Color::Blue).add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            ..d
        }
    }

    /// Bright colours, bold text, highlights as fixed text-on-colour pairs
    /// that read on any background, and nothing dimmed.
    fn high_contrast() -> Theme {
        let d = Theme::dark();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let fg = |c: Color| bold.fg(c);
        let pair = |f: Color, b: Color| bold.fg(f).bg(b);
        Theme {
            name: "high-contrast",
            title: pair(Color::Black, Color::LightCyan),
            tab_active: pair(Color::Black, Color::White),
            dim: Style::new(),
            gutter: Style::new(),
            separator: bold,
            selected: pair(Color::Black, Color::LightYellow),
            filter: fg(Color::LightYellow),
            star: pair(Color::Black, Color::LightYellow),
            removed_para: fg(Color::LightRed),
            added_para: fg(Color::LightGreen),
            rewritten_old: fg(Color::LightRed),
            rewritten_new: fg(Color::LightGreen),
            filler: Style::new().add_modifier(Modifier::ITALIC),
            moved: fg(Color::LightCyan).add_modifier(Modifier::ITALIC),
            furniture: Style::new().add_modifier(Modifier::ITALIC),
            headline: bold.add_modifier(Modifier::UNDERLINED),
            caption: bold.add_modifier(Modifier::ITALIC),
            focus_marker: fg(Color::LightYellow),
            search_hit: pair(Color::Black, Color::LightYellow).add_modifier(Modifier::UNDERLINED),
            status: pair(Color::Black, Color::White),
            status_key: fg(Color::LightCyan),
            info: fg(Color::LightGreen),
            error: pair(Color::White, Color::Red),
            cursor: pair(Color::Black, Color::LightYellow),
            dialog: fg(Color::White),
            cell_same: Style::new(),
            cell_changed: fg(Color::LightYellow),
            cell_missing: fg(Color::LightRed),
            cell_added: fg(Color::LightGreen),
            cell_moved: fg(Color::LightCyan),
            cell_base: fg(Color::LightBlue).add_modifier(Modifier::UNDERLINED),
            wording_old: pair(Color::White, Color::Red),
            wording_new: pair(Color::Black, Color::LightGreen),
            spelling: fg(Color::LightMagenta).add_modifier(Modifier::UNDERLINED),
            spelling_letters: pair(Color::Black, Color::LightMagenta)
                .add_modifier(Modifier::UNDERLINED),
            style_change: fg(Color::LightCyan)
                .add_modifier(Modifier::ITALIC | Modifier::UNDERLINED),
            ..d
        }
    }

    /// Told apart with any common colour blindness: orange (ANSI yellow) for
    /// what the base has and blue for what the other version has, in place of
    /// red and green; removed words are also struck through, added ones bold.
    fn colorblind() -> Theme {
        let d = Theme::dark();
        let fg = |c: Color| Style::new().fg(c);
        let pair = |f: Color, b: Color| Style::new().fg(f).bg(b);
        Theme {
            name: "colorblind",
            removed_para: fg(Color::Yellow),
            added_para: fg(Color::Blue).add_modifier(Modifier::BOLD),
            rewritten_old: fg(Color::Yellow),
            rewritten_new: fg(Color::Blue).add_modifier(Modifier::BOLD),
            info: fg(Color::Cyan),
            error: pair(Color::Black, Color::Yellow).add_modifier(Modifier::BOLD),
            cell_changed: fg(Color::Magenta),
            cell_missing: fg(Color::Yellow),
            cell_added: fg(Color::Blue).add_modifier(Modifier::BOLD),
            cell_base: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            wording_old: pair(Color::Black, Color::Yellow).add_modifier(Modifier::CROSSED_OUT),
            wording_new: pair(Color::White, Color::Blue).add_modifier(Modifier::BOLD),
            ..d
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
            dialog: s.add_modifier(Modifier::BOLD),
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

/// A style in another colour: its background when it has one (a highlight
/// drawn as text on colour), else its text colour (which a reversed style
/// shows as the highlight).
fn tint(s: Style, c: Color) -> Style {
    match s.bg {
        Some(bg) if bg != Color::Reset => s.bg(c),
        _ => s.fg(c),
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
