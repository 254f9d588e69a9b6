//! The `medsite` command.

mod cli;

use std::ffi::{c_int, c_long};

/// mimalloc: a build allocates many small strings on two threads at once,
/// where it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_t` of the
/// `mimalloc.h` the `mimalloc` crate builds (v3, and v2 alike). The
/// `libmimalloc-sys` crate names no constant for it.
const PURGE_DELAY: c_int = 15;

/// mimalloc's own default for [`PURGE_DELAY`], in milliseconds (v3's
/// `options.c`; its arenas wait ten times as long).
const DEFAULT_PURGE_DELAY: c_long = 1000;

unsafe extern "C" {
    // In the mimalloc library that the `mimalloc` crate links.
    fn mi_option_get(option: c_int) -> c_long;
    fn mi_option_set(option: c_int, value: c_long);
}

/// Sets how soon mimalloc gives freed memory back to the system. A one-off
/// command: at once (0) rather than a second later (ten for its arenas),
/// because a large build frees as much as it
/// allocates, page after page, and the delay lets freed memory pile up
/// into the peak (about 60 MiB of 100,000 pages) at no gain in time.
/// `MIMALLOC_PURGE_DELAY` set in the environment is left as it says.
///
/// The dev server is the other way round: it keeps its site, and each
/// edit frees one and makes another of the same size. Memory it frees is
/// kept (-1, never purged), so that the next edit does not have the
/// system fault the same pages in again.
fn set_purge_delay(millis: c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: both functions take and give plain integers, and any value
    // is valid for this option. Its default is checked first, so that
    // another option is never changed if mimalloc's order were different.
    unsafe {
        if mi_option_get(PURGE_DELAY) == DEFAULT_PURGE_DELAY {
            mi_option_set(PURGE_DELAY, millis);
        }
    }
}

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    let serve = matches!(cli.command, cli::Command::Serve { .. });
    set_purge_delay(if serve { -1 } else { 0 });
    std::process::exit(cli::run(cli));
}
