//! How a record is encoded before it is sealed (encode, then compress, then encrypt): MessagePack
//! with field names, compressed with zstd when that makes it smaller.
//!
//! The first byte says which: `RAW` or `ZSTD`. Records from before schema 4 are JSON, whose first
//! byte is never one of those; they are still read (a restored old backup, a migration cut short
//! by a crash), and the schema 4 migration rewrites them in this encoding.
//!
//! Why MessagePack with field names rather than a positional format such as postcard: records
//! gain fields over the years (`#[serde(default)]`), and some are internally tagged enums, which
//! need a self-describing format. Compression takes back most of what the names cost.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

/// MessagePack, as it is.
const RAW: u8 = 0x01;
/// MessagePack compressed with zstd.
const ZSTD: u8 = 0x02;
/// MessagePack by position (`encode_positional`).
const POSITIONAL: u8 = 0x03;
/// zstd's level: 3 is its default, fast both ways; higher levels gained under 3% here.
const LEVEL: i32 = 3;
/// Below this, compression cannot win back its frame header: stored as it is.
const WORTH_COMPRESSING: usize = 96;

/// `value` encoded for storage.
pub(super) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut packed = vec![RAW];
    // Human-readable, like the JSON before it: dates stay RFC 3339 text and addresses dotted,
    // so a record reads the same whichever encoding it was stored in.
    let mut serializer = rmp_serde::Serializer::new(&mut packed)
        .with_struct_map()
        .with_human_readable();
    value
        .serialize(&mut serializer)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if packed.len() < WORTH_COMPRESSING {
        return Ok(packed);
    }
    let frame = zeroize::Zeroizing::new(
        with_compressor(|c| c.compress(&packed[1..]))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    );
    // The form not returned is wiped on the way out.
    Ok(if frame.len() + 1 < packed.len() {
        zeroize::Zeroize::zeroize(&mut packed);
        let mut compressed = Vec::with_capacity(frame.len() + 1);
        compressed.push(ZSTD);
        compressed.extend_from_slice(&frame);
        compressed
    } else {
        packed
    })
}

/// `value` encoded by position (no field names, compact dates), for derived records that are
/// rebuilt rather than migrated when their shape changes (the aggregate rows).
pub(super) fn encode_positional<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut packed = vec![POSITIONAL];
    value
        .serialize(&mut rmp_serde::Serializer::new(&mut packed))
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(packed)
}

/// A record stored by `encode_positional`.
pub(super) fn decode_positional<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&POSITIONAL, packed)) => {
            rmp_serde::from_slice(packed).map_err(|e| StoreError::Corrupt(e.to_string()))
        }
        _ => Err(StoreError::Corrupt("not a positional record".into())),
    }
}

/// A record stored by `encode` (or as JSON, before schema 4) decoded.
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
    match bytes.first() {
        Some(&RAW) => from_msgpack(&bytes[1..]),
        Some(&ZSTD) => {
            let frame = &bytes[1..];
            // The frame says how long the record is (`encode` always writes it); a frame that
            // does not is read as a stream, up to the same limit.
            let packed = match zstd::zstd_safe::get_frame_content_size(frame) {
                Ok(Some(size)) if size <= MAX_RECORD => {
                    with_decompressor(|d| d.decompress(frame, size as usize))
                }
                Ok(None) => zstd::stream::Decoder::new(frame).and_then(|decoder| {
                    let mut out = Vec::new();
                    std::io::Read::read_to_end(
                        &mut std::io::Read::take(decoder, MAX_RECORD),
                        &mut out,
                    )
                    .map(|_| out)
                }),
                _ => Err(std::io::Error::other(
                    "a compressed record of no valid size",
                )),
            };
            from_msgpack(&zeroize::Zeroizing::new(packed.map_err(|e| corrupt(&e))?))
        }
        _ => serde_json::from_slice(bytes).map_err(|e| corrupt(&e)),
    }
}

/// The largest record a compressed frame may claim to hold (a damaged one is refused, not
/// allocated).
const MAX_RECORD: u64 = 16 << 20;

thread_local! {
    // zstd's contexts take a few hundred kilobytes each to set up: one per thread, reused, rather
    // than one per record (which was a twentieth of a page's time).
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn with_compressor<T>(
    f: impl FnOnce(&mut zstd::bulk::Compressor<'static>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    with_context(&COMPRESSOR, || zstd::bulk::Compressor::new(LEVEL), f)
}

fn with_decompressor<T>(
    f: impl FnOnce(&mut zstd::bulk::Decompressor<'static>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    with_context(&DECOMPRESSOR, zstd::bulk::Decompressor::new, f)
}

/// Runs `f` with this thread's context in `cell`, made by `make` on first use.
fn with_context<C, T>(
    cell: &'static std::thread::LocalKey<std::cell::RefCell<Option<C>>>,
    make: impl FnOnce() -> std::io::Result<C>,
    f: impl FnOnce(&mut C) -> std::io::Result<T>,
) -> std::io::Result<T> {
    cell.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(std::io::Error::other)?;
        if slot.is_none() {
            *slot = Some(make()?);
        }
        match slot.as_mut() {
            Some(context) => f(context),
            None => Err(std::io::Error::other("no compression context")),
        }
    })
}

/// Whether `bytes` is a record from before schema 4 (JSON), which the migration rewrites.
pub(super) fn is_legacy(bytes: &[u8]) -> bool {
    !matches!(bytes.first(), Some(&RAW | &ZSTD))
}

fn from_msgpack<T: DeserializeOwned>(packed: &[u8]) -> Result<T, StoreError> {
    let mut deserializer = rmp_serde::Deserializer::new(packed).with_human_readable();
    T::deserialize(&mut deserializer).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Assessment;
    use crate::domain::{Case, UserId};
    use crate::instrument::Instrument;

    fn sample() -> Vec<(Case, Vec<Assessment>)> {
        let instrument = Instrument::bundled().unwrap();
        let now = time::OffsetDateTime::now_utc();
        crate::demo::generate(&instrument, 40, 3, now, &[UserId::new(1)], None).unwrap()
    }

    #[test]
    fn every_record_comes_back_as_it_went_in_and_json_still_reads() {
        for (case, assessments) in sample() {
            assert_eq!(decode::<Case>(&encode(&case).unwrap()).unwrap(), case);
            let json = serde_json::to_vec(&case).unwrap();
            assert!(is_legacy(&json));
            assert_eq!(decode::<Case>(&json).unwrap(), case);
            for a in assessments {
                let stored = encode(&a).unwrap();
                assert!(!is_legacy(&stored));
                assert_eq!(decode::<Assessment>(&stored).unwrap(), a);
                let json = serde_json::to_vec(&a).unwrap();
                assert_eq!(decode::<Assessment>(&json).unwrap(), a);
            }
        }
    }

    #[test]
    fn an_assessment_takes_under_a_third_of_its_json() {
        let (mut json, mut stored) = (0, 0);
        for (_, assessments) in sample() {
            for a in assessments {
                json += serde_json::to_vec(&a).unwrap().len();
                stored += encode(&a).unwrap().len();
            }
        }
        assert!(stored * 3 < json, "{stored} bytes against {json} as JSON");
    }

    #[test]
    fn small_records_are_not_compressed_and_damage_is_an_error_not_a_panic() {
        let small = encode(&"a short value").unwrap();
        assert_eq!(small[0], RAW);
        assert_eq!(decode::<String>(&small).unwrap(), "a short value");
        let (_, assessments) = sample().remove(0);
        let mut stored = encode(&assessments[0]).unwrap();
        assert_eq!(stored[0], ZSTD);
        let middle = stored.len() / 2;
        stored[middle] ^= 0x55;
        assert!(decode::<Assessment>(&stored).is_err());
        assert!(decode::<Assessment>(&[ZSTD]).is_err());
        assert!(decode::<Assessment>(&[RAW, 0xc1]).is_err());
    }
}
