//! Locks that outlive a panic.

use std::sync::{Mutex, MutexGuard};

/// The lock's guard, even when another thread panicked holding it: every
/// value the crate keeps behind a lock (caches, lists of rooms and threads)
/// is whole between two of its own steps, so a poisoned one is still valid.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
