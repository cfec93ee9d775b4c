//! Writing files so that a crash never leaves a half-written one.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target. On any error the target
/// is untouched and the temporary file is removed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_temp(path, bytes)?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Like [`atomic_write`], but fails with [`std::io::ErrorKind::AlreadyExists`]
/// when `path` exists, even if it appeared while the bytes were being written.
pub fn atomic_write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_temp(path, bytes)?
        .persist_noclobber(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Remove the temporary files [`atomic_write`] left beside `path` when a
/// crash stopped it between writing and renaming, if they are older than
/// `age` (younger ones may belong to a writer still at work). Best effort:
/// errors are ignored.
pub fn remove_stale_temps(path: &Path, age: std::time::Duration) {
    if path.file_name().is_none() {
        return;
    }
    let (dir, prefix) = temp_place(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let n = entry.file_name();
        let n = n.to_string_lossy();
        let old = entry
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|e| e >= age);
        if n.starts_with(&prefix) && n.ends_with(TEMP_SUFFIX) && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The bytes in a synced temporary file beside `path`, removed when dropped.
const TEMP_SUFFIX: &str = ".tmp";

/// The folder of `path`'s temporary files and how their names start
/// (`.NAME.`), for the writer and for [`remove_stale_temps`] alike.
fn temp_place(path: &Path) -> (&Path, String) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "storydiff".into());
    (dir, format!(".{name}."))
}

fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let (dir, prefix) = temp_place(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    // tempfile makes owner-only files; a saved export or state file should get
    // the usual permissions (the umask still applies), or keep the ones of the
    // file it replaces.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0o644);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        atomic_write_new(&p, b"one").unwrap();
        let err = atomic_write_new(&p, b"two").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_replacements_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        atomic_write(&p, b"one").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p) & 0o044, 0o044);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(mode(&p), 0o600);
    }

    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        let left = dir.path().join(".a.txt.x1y2.tmp");
        let other = dir.path().join(".b.txt.x1y2.tmp");
        std::fs::write(&left, b"half").unwrap();
        std::fs::write(&other, b"half").unwrap();
        remove_stale_temps(&p, std::time::Duration::from_secs(3600));
        assert!(left.exists(), "a young one may still be written");
        remove_stale_temps(&p, std::time::Duration::ZERO);
        assert!(!left.exists());
        assert!(other.exists(), "another file's temporary is not touched");
    }

    #[test]
    fn missing_folder_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("a.txt");
        assert!(atomic_write(&p, b"x").is_err());
        assert!(!p.exists());
    }
}
