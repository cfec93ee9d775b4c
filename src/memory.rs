//! Handing freed memory back to the system between the load's stages,
//! letting a short command's heaps grow in large steps, and keeping to one
//! heap a core.
//!
//! glibc keeps what a thread frees in that thread's heap for its next
//! allocations. Loading frees large amounts on some threads (the files'
//! texts once segmented, the lists of checks each partition's walk makes) while the
//! next stage allocates on others, so the freed room would stay in the
//! process and count towards its peak: at 10,000 files it was 3 MB of 110.

/// Returns the allocator's free pages to the system, where that is known
/// to be safe and useful (glibc on Linux); elsewhere does nothing.
pub(crate) fn release_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory that is free; it takes the
    // allocator's own locks and touches nothing in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Lets the allocator's heaps grow in steps of 64 MB of address space, for
/// a command that runs for a moment and allocates as it goes (`diff A B`).
/// A worker thread's heap otherwise grows a few pages at a time, each step
/// a system call that makes the kernel flush every thread's view of the
/// memory: 400 of them in a diff of two 300 KB files. Only the pages used
/// are ever resident, so the memory the command holds is the same; but
/// freed memory up to the step's size is kept rather than handed back, so
/// the long-running fronts (the interface, a folder's load) do not use it.
pub fn grow_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; M_TOP_PAD is one
    // glibc documents, and any value is valid.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

/// Keeps the allocator to one heap a core, where glibc's default is eight.
/// Call it before any thread starts.
///
/// A folder's load spreads its allocations over every heap its threads are
/// given. Each partition's evidence is made on a thread of its own, and
/// each such thread may be handed another heap. The free room left in all
/// of them adds up to the peak. With two heaps on two cores, the peak at
/// 10,000 files of 37.7 MB was 2.4 MB lower and the load no slower
/// (docs/benchmarks.md, "Tenth pass"). Fewer heaps than cores would make
/// the threads wait on each other's locks: with one, the load took half as
/// long again.
pub fn one_heap_a_core() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // The cores this process may run on, from one system call: the
        // standard library's count also reads the control group's quota
        // from three files, start-up work that `diff A B` (timed against
        // git) would pay for nothing.
        // SAFETY: the set is a plain bit array that sched_getaffinity
        // fills, given its true size; CPU_COUNT only reads it.
        let cores = unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
                libc::CPU_COUNT(&set)
            } else {
                2
            }
        };
        // SAFETY: mallopt only sets an allocator parameter; M_ARENA_MAX is
        // one glibc documents, and any positive count is valid.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores.max(2));
        }
    }
}
