//! Giving memory back to the system. glibc's allocator keeps what a thread freed in that thread's
//! arena; after a large one-off job on a pool thread (reading a million aggregate rows at start,
//! a restore) tens of megabytes of free space can stay resident for good, and which arena they
//! land in varies from run to run (measured at 954,631 assessments: 365 or 461 MB after start).
//! `release_free_memory` hands whole free pages back, and `return_large_blocks` keeps large
//! blocks out of the arenas altogether. No crate wraps these glibc calls, so they are made here,
//! through `libc`.

/// Returns free pages of every allocator arena to the system (glibc's `malloc_trim`; a no-op
/// elsewhere). Takes a few milliseconds: call it after a large job, not per request.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointers from
    // us and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Has the allocator give every block of 128 KB or more back to the system when it is freed (glibc's
/// starting threshold, fixed). Left to itself glibc raises the threshold to the largest block freed
/// so far: after the first sign-in (argon2id works in 19 MB) every later sign-in's 19 MB came from
/// an arena and stayed resident there (measured on a 34,000-case store, resident after start and
/// each of three sign-ins: 94, 95, 114 and 135 MB; with the threshold fixed, 83, 84, 84 and 84).
/// Call once, before other threads start.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's own parameters; called before other threads run.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
