//! Page furniture: the patterns and rules that tell it from body text.
