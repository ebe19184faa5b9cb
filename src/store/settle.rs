//! Bringing sled's page cache back within its bound after a full scan.
//!
//! sled 0.34.7 counts page reads towards its bound in batches: each of its 256 LRU shards queues
//! 64 reads before it counts them and evicts. After a scan, up to 256 × 63 pages read once stay
//! resident and uncounted whatever the bound (measured: 72 MB after the start-up read of 340,000
//! cases' rows with a 32 MB cache). sled has no call to count or evict them, so `ScanSample` keeps
//! a few keys spread over the scan and `settle` reads them again, 64 times each: every shard
//! holding one of their pages fills its queue, counts what it held and evicts down to its share.
//! Afterwards at most the sampled pages (a few megabytes) are pending.

use sled::IVec;

/// sled's reads per shard queue (`lru::MAX_QUEUE_ITEMS` in 0.34.7, not exported).
const QUEUE: usize = 64;

/// At most this many keys are kept: about 1,000 to 2,000 pages, which between them fall in
/// nearly all of sled's 256 shards (a page's shard is its id modulo 256).
const SAMPLE_MAX: usize = 2048;

/// One key in this many to start with: about one per leaf (sled splits a leaf past 16 entries).
const FIRST_STRIDE: usize = 8;

/// Keys spread evenly over a scan: one in `stride`, the stride doubling (and every other key
/// dropped) whenever `SAMPLE_MAX` are kept.
pub(super) struct ScanSample {
    keys: Vec<IVec>,
    stride: usize,
    seen: usize,
}

impl Default for ScanSample {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            stride: FIRST_STRIDE,
            seen: 0,
        }
    }
}

impl ScanSample {
    /// Notes a key the scan read.
    pub(super) fn note(&mut self, key: &IVec) {
        if self.seen.is_multiple_of(self.stride) {
            self.keys.push(key.clone());
            if self.keys.len() >= SAMPLE_MAX {
                let mut i = 0;
                self.keys.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.stride *= 2;
            }
        }
        self.seen += 1;
    }

    /// Reads the sampled keys of `tree` again, `QUEUE` times each (see the module docs). Takes
    /// about 0.1 s for the largest sample; errors are ignored: a key that cannot be read only
    /// leaves its page uncounted.
    pub(super) fn settle(self, tree: &sled::Tree) {
        for _ in 0..QUEUE {
            for key in &self.keys {
                let _ = tree.get(key);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_stays_bounded_and_spread_over_the_whole_scan() {
        let mut sample = ScanSample::default();
        let n: u32 = 100_000;
        for i in 0..n {
            sample.note(&IVec::from(&i.to_be_bytes()));
        }
        assert!(sample.len() < SAMPLE_MAX && sample.len() > SAMPLE_MAX / 4);
        let at = |k: &IVec| u32::from_be_bytes([k[0], k[1], k[2], k[3]]);
        let gaps: Vec<u32> = sample
            .keys
            .windows(2)
            .map(|w| at(&w[1]) - at(&w[0]))
            .collect();
        let stride = u32::try_from(sample.stride).unwrap();
        assert!(gaps.iter().all(|&g| g == stride), "evenly spread");
        assert_eq!(at(&sample.keys[0]), 0);
        assert!(
            at(sample.keys.last().unwrap()) >= n - stride,
            "reaches the end"
        );
    }
}
