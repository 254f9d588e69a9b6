//! The rate limit of the feedback service: at most N requests a minute from
//! one client address (a token bucket per address, N at once, refilled
//! evenly), checked by `governor`'s keyed rate limiter.
//!
//! The key is not the address but a hash of it with a random key that is
//! made anew every day and never leaves memory; at the change of day every
//! bucket is forgotten with the old key. Buckets of quiet addresses are
//! dropped regularly, so memory follows the addresses seen in the last
//! minute or so, not all addresses ever seen.
//!
//! Not for: finding the client's address (behind a proxy or not, see
//! [`super::api`]) or the answer to a refused request ([`super::reply`]).
//!
//! Measured against the hand-written limiter it replaced (token buckets of
//! `f64` in a `HashMap` behind one `Mutex`, the day read from the clock on
//! every check), both in one program, release build, a limit that never
//! refuses so that every check does its whole work, medians of 7 runs on
//! the 2-core development machine: 1 thread and 1 address 317 ns a check
//! before, 106 ns now; 2 threads and 1 address 426 / 134 ns; 1 thread and
//! 1,000 addresses 435 / 117 ns; 2 threads and 10,000 addresses 700 /
//! 178 ns. Through HTTP (`FEEDBACK_BENCH_RATE_LIMIT=4000000000 cargo bench
//! --bench feedback_load`, 3 interleaved runs each) the difference is lost
//! in the noise of a shared machine: 31,327 and 31,268 visit posts/s.

use super::days;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// Every this many checks, quiet buckets may be dropped.
const HOUSEKEEPING_EVERY: u64 = 1024;
/// Quiet buckets are dropped at least this often ...
const PURGE_INTERVAL: Duration = Duration::from_secs(60);
/// ... and at once when there are more buckets than this.
const PURGE_ABOVE: usize = 100_000;
/// The day is looked at again at least this often (a clock set back or
/// forward moves midnight).
const DAY_CHECK: Duration = Duration::from_secs(60);

/// The buckets of one day.
struct Daily {
    day: String,
    keys: RandomState,
    buckets: DefaultKeyedRateLimiter<u64>,
}

impl Daily {
    fn new(quota: Quota, day: String) -> Daily {
        Daily {
            day,
            keys: RandomState::new(),
            buckets: DefaultKeyedRateLimiter::keyed(quota),
        }
    }
}

/// A per-address rate limit; `None` inside means no limit.
pub struct Limiter {
    inner: Option<Limited>,
}

struct Limited {
    quota: Quota,
    daily: RwLock<Daily>,
    /// When the limiter was made; the times below count from here.
    start: Instant,
    /// Nanoseconds after `start` when the day is looked at again.
    next_day_check: AtomicU64,
    checks: AtomicU64,
    last_purge: Mutex<Instant>,
}

impl Limiter {
    /// `per_minute` requests a minute from one address; 0 turns it off.
    pub fn new(per_minute: u32) -> Limiter {
        let inner = NonZeroU32::new(per_minute).map(|n| {
            let quota = Quota::per_minute(n);
            let start = Instant::now();
            Limited {
                quota,
                daily: RwLock::new(Daily::new(quota, days::today())),
                start,
                next_day_check: AtomicU64::new(nanos(next_day_check())),
                checks: AtomicU64::new(0),
                last_purge: Mutex::new(start),
            }
        });
        Limiter { inner }
    }

    /// Whether a request from `addr` may go on now (and counts it if so).
    pub fn allow(&self, addr: IpAddr) -> bool {
        let Some(l) = &self.inner else { return true };
        let elapsed = nanos(l.start.elapsed());
        if elapsed >= l.next_day_check.load(Ordering::Relaxed) {
            l.next_day_check.store(
                elapsed.saturating_add(nanos(next_day_check())),
                Ordering::Relaxed,
            );
            l.check_day(&days::today());
        }
        let allowed = {
            let daily = read(&l.daily);
            daily.buckets.check_key(&daily.keys.hash_one(addr)).is_ok()
        };
        if l.checks.fetch_add(1, Ordering::Relaxed) % HOUSEKEEPING_EVERY == HOUSEKEEPING_EVERY - 1 {
            l.housekeeping();
        }
        allowed
    }

    /// How many addresses have a bucket now.
    pub fn buckets(&self) -> usize {
        self.inner
            .as_ref()
            .map_or(0, |l| read(&l.daily).buckets.len())
    }

    /// Drops the buckets of addresses that would start afresh anyway.
    pub fn purge(&self) {
        if let Some(l) = &self.inner {
            l.purge();
        }
    }

    /// Starts the day `day` (a new key, no buckets) unless it is the current one.
    #[cfg(test)]
    fn set_day(&self, day: &str) {
        if let Some(l) = &self.inner {
            l.check_day(day);
        }
    }
}

impl Limited {
    fn check_day(&self, today: &str) {
        if read(&self.daily).day == today {
            return;
        }
        let mut daily = match self.daily.write() {
            Ok(d) => d,
            Err(e) => e.into_inner(),
        };
        if daily.day != today {
            *daily = Daily::new(self.quota, today.to_owned());
        }
    }

    fn housekeeping(&self) {
        // One thread does it; the others go on.
        let Ok(mut last) = self.last_purge.try_lock() else {
            return;
        };
        if last.elapsed() >= PURGE_INTERVAL || read(&self.daily).buckets.len() > PURGE_ABOVE {
            self.purge();
            *last = Instant::now();
        }
    }

    fn purge(&self) {
        let daily = read(&self.daily);
        daily.buckets.retain_recent();
        daily.buckets.shrink_to_fit();
    }
}

fn read(lock: &RwLock<Daily>) -> std::sync::RwLockReadGuard<'_, Daily> {
    match lock.read() {
        Ok(d) => d,
        Err(e) => e.into_inner(),
    }
}

fn next_day_check() -> Duration {
    days::until_tomorrow().map_or(DAY_CHECK, |d| d.min(DAY_CHECK))
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_is_allowed_then_refused_per_address() {
        let l = Limiter::new(10);
        let a = ip("127.0.0.1");
        assert!((0..10).all(|_| l.allow(a)), "the first 10 pass");
        assert!(!l.allow(a), "the 11th is refused");
        assert!(!l.allow(a), "and so is the 12th");
        assert!(
            l.allow(ip("127.0.0.2")),
            "another address has its own bucket"
        );
        assert!(l.allow(ip("::1")));
        assert_eq!(l.buckets(), 3);
    }

    #[test]
    fn the_default_limit_is_120_a_minute() {
        let l = Limiter::new(120);
        let a = ip("198.51.100.7");
        let passed = (0..1000).filter(|_| l.allow(a)).count();
        // 120 at once; within the loop at most a token or two more refill.
        assert!((120..=122).contains(&passed), "{passed}");
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let off = Limiter::new(0);
        let a = ip("127.0.0.1");
        assert!((0..10_000).all(|_| off.allow(a)));
        assert_eq!(off.buckets(), 0);
    }

    #[test]
    fn tokens_come_back_over_time() {
        // 600 a minute: one more every 100 ms.
        let l = Limiter::new(600);
        let a = ip("127.0.0.1");
        while l.allow(a) {}
        assert!(!l.allow(a));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !l.allow(a) {
            assert!(Instant::now() < deadline, "no token came back within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_new_day_forgets_every_bucket() {
        let l = Limiter::new(3);
        let a = ip("127.0.0.1");
        assert!((0..3).all(|_| l.allow(a)));
        assert!(!l.allow(a));
        l.set_day(&days::today()); // the same day: nothing changes
        assert!(!l.allow(a));
        l.set_day("2999-01-01");
        assert_eq!(l.buckets(), 0);
        assert!(l.allow(a), "a new day, a new bucket");
    }

    #[test]
    fn quiet_buckets_are_dropped() {
        // 60,000 a minute: a used token is back after a millisecond.
        let l = Limiter::new(60_000);
        for i in 0..1000u32 {
            assert!(l.allow(IpAddr::from(i.to_be_bytes())));
        }
        assert_eq!(l.buckets(), 1000);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            l.purge();
            if l.buckets() == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "{} buckets kept", l.buckets());
            std::thread::sleep(Duration::from_millis(5));
        }
        // a busy address keeps its bucket
        let l = Limiter::new(10);
        let a = ip("127.0.0.1");
        while l.allow(a) {}
        l.purge();
        assert_eq!(l.buckets(), 1);
        assert!(!l.allow(a), "purging does not refill a bucket");
    }

    #[test]
    fn housekeeping_runs_on_its_own_when_buckets_pile_up() {
        let l = Limiter::new(60_000);
        for i in 0..(PURGE_ABOVE as u32 + 1) {
            l.allow(IpAddr::from(i.to_be_bytes()));
        }
        // Once a used token is back, the next round of checks drops them.
        let deadline = Instant::now() + Duration::from_secs(10);
        while l.buckets() > 2 * HOUSEKEEPING_EVERY as usize {
            assert!(Instant::now() < deadline, "{} buckets kept", l.buckets());
            std::thread::sleep(Duration::from_millis(5));
            for i in 0..HOUSEKEEPING_EVERY as u32 {
                l.allow(IpAddr::from((u32::MAX - i).to_be_bytes()));
            }
        }
    }
}
