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

/// Has mimalloc give memory freed back to the system at once rather than
/// a second later (ten for its arenas): a large build frees as much as it
/// allocates, page after page, and the delay lets freed memory pile up
/// into the peak (about 60 MiB of 100,000 pages) at no gain in time.
/// `MIMALLOC_PURGE_DELAY` set in the environment is left as it says. Not
/// for the dev server, which keeps its site and, edit after edit, would
/// have the system hand it back the same memory page by page.
fn purge_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: both functions take and give plain integers, and any value
    // is valid for this option. Its default is checked first, so that
    // another option is never changed if mimalloc's order were different.
    unsafe {
        if mi_option_get(PURGE_DELAY) == DEFAULT_PURGE_DELAY {
            mi_option_set(PURGE_DELAY, 0);
        }
    }
}

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if !matches!(cli.command, cli::Command::Serve { .. }) {
        purge_at_once();
    }
    std::process::exit(cli::run(cli));
}
