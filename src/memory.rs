//! Giving memory back to the system. glibc's allocator keeps what a thread freed in that thread's
//! arena; after a large one-off job on a pool thread (reading a million aggregate rows at start,
//! a restore) tens of megabytes of free space can stay resident for good, and which arena they
//! land in varies from run to run (measured at 954,631 assessments: 365 or 461 MB after start).
//! `release_free_memory` hands whole free pages back. No crate wraps the glibc call, so it is
//! made here, through `libc`.

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
