//! How a record is encoded before it is sealed (encode, then compress, then encrypt): MessagePack
//! with field names, compressed with zstd and a dictionary when that makes it smaller.
//!
//! The first byte says which: `RAW`, `ZSTD` (schema 4, no dictionary) or `ZSTD_DICT`. Records
//! from before schema 4 are JSON, whose first byte is never one of those; they are still read (a
//! restored old backup, a migration cut short by a crash), and the migrations rewrite them.
//!
//! The dictionary (`records.zdict`, 16 KB) holds what records have in common: field names, factor
//! ids, answer and enum names. A record is about 1 KB compressed alone and about a fifth of that
//! with it. It was trained once on demo records (`tests::train_the_dictionary`, run by hand),
//! never on anyone's data, and it can never change: stored records need it to be read. A better
//! one would get a tag of its own, beside this one.
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
/// MessagePack compressed with zstd and `DICTIONARY` (schema 5 on).
const ZSTD_DICT: u8 = 0x04;
/// The dictionary of `ZSTD_DICT` (see the module docs).
const DICTIONARY: &[u8] = include_bytes!("records.zdict");
/// zstd's level: 3 is its default, fast both ways; higher levels gained under 3% here.
const LEVEL: i32 = 3;
/// Below this, compression cannot win back its frame header: stored as it is.
const WORTH_COMPRESSING: usize = 32;

/// `value` encoded for storage.
pub(super) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut packed = pack(value, vec![RAW])?;
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
        compressed.push(ZSTD_DICT);
        compressed.extend_from_slice(&frame);
        compressed
    } else {
        packed
    })
}

/// `value` as MessagePack with field names, after `prefix`.
fn pack<T: Serialize + ?Sized>(value: &T, prefix: Vec<u8>) -> Result<Vec<u8>, StoreError> {
    let mut packed = prefix;
    // Human-readable, like the JSON before it: dates stay RFC 3339 text and addresses dotted,
    // so a record reads the same whichever encoding it was stored in.
    let mut serializer = rmp_serde::Serializer::new(&mut packed)
        .with_struct_map()
        .with_human_readable();
    value
        .serialize(&mut serializer)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(packed)
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
        Some(&tag @ (ZSTD | ZSTD_DICT)) => {
            let frame = &bytes[1..];
            let dictionary = tag == ZSTD_DICT;
            // The frame says how long the record is (`encode` always writes it); a frame that
            // does not is read as a stream, up to the same limit.
            let packed = match zstd::zstd_safe::get_frame_content_size(frame) {
                Ok(Some(size)) if size <= MAX_RECORD => {
                    with_decompressor(dictionary, |d| d.decompress(frame, size as usize))
                }
                Ok(None) if dictionary => {
                    zstd::stream::Decoder::with_prepared_dictionary(frame, &DECODER_DICTIONARY)
                        .and_then(read_limited)
                }
                Ok(None) => zstd::stream::Decoder::new(frame).and_then(read_limited),
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

/// Reads a zstd stream of no stated size, up to `MAX_RECORD`.
fn read_limited(decoder: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(decoder, MAX_RECORD), &mut out)?;
    Ok(out)
}

/// `DICTIONARY`, digested once for compressing and once for decompressing.
static ENCODER_DICTIONARY: std::sync::LazyLock<zstd::dict::EncoderDictionary<'static>> =
    std::sync::LazyLock::new(|| zstd::dict::EncoderDictionary::copy(DICTIONARY, LEVEL));
static DECODER_DICTIONARY: std::sync::LazyLock<zstd::dict::DecoderDictionary<'static>> =
    std::sync::LazyLock::new(|| zstd::dict::DecoderDictionary::copy(DICTIONARY));

thread_local! {
    // zstd's contexts take a few hundred kilobytes each to set up: one per thread, reused, rather
    // than one per record (which was a twentieth of a page's time).
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    /// Schema 4's records, compressed without the dictionary.
    static PLAIN_DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

fn with_compressor<T>(
    f: impl FnOnce(&mut zstd::bulk::Compressor<'static>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    with_context(
        &COMPRESSOR,
        || zstd::bulk::Compressor::with_prepared_dictionary(&ENCODER_DICTIONARY),
        f,
    )
}

/// Runs `f` with this thread's decompressor: with the dictionary, or without for schema 4's.
fn with_decompressor<T>(
    dictionary: bool,
    f: impl FnOnce(&mut zstd::bulk::Decompressor<'static>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    if dictionary {
        with_context(
            &DECOMPRESSOR,
            || zstd::bulk::Decompressor::with_prepared_dictionary(&DECODER_DICTIONARY),
            f,
        )
    } else {
        with_context(&PLAIN_DECOMPRESSOR, zstd::bulk::Decompressor::new, f)
    }
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

/// Whether `bytes` is a record from before schema 4 (JSON).
#[cfg(test)]
pub(super) fn is_legacy(bytes: &[u8]) -> bool {
    !matches!(bytes.first(), Some(&RAW | &ZSTD | &ZSTD_DICT))
}

/// Whether `bytes` is a record in an encoding older than this schema's (JSON, or compressed
/// without the dictionary), which the migrations rewrite.
pub(super) fn is_outdated(bytes: &[u8]) -> bool {
    !matches!(bytes.first(), Some(&RAW | &ZSTD_DICT))
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

    /// The dictionary's SHA-256: records stored with `ZSTD_DICT` need exactly these bytes.
    const DICTIONARY_SHA256: &str =
        "4985ffacfde0002ffa40fb83f0327ee8ed808baaf90833957cbf6388bb86de33";

    #[test]
    fn the_dictionary_is_the_one_records_are_stored_with() {
        use sha2::Digest;
        assert_eq!(
            hex::encode(sha2::Sha256::digest(DICTIONARY)),
            DICTIONARY_SHA256,
            "records.zdict changed: stored records could no longer be read"
        );
    }

    /// Writes `records.zdict` from demo records (run by hand, once: see the module docs).
    #[test]
    #[ignore = "writes the dictionary, which must never change once records use it"]
    fn train_the_dictionary() {
        let instrument = Instrument::bundled().unwrap();
        let now = time::macros::datetime!(2026-11-30 12:00 UTC);
        let data =
            crate::demo::generate(&instrument, 3000, 2016, now, &[UserId::new(1)], None).unwrap();
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for (case, assessments) in &data {
            samples.push(pack(case, Vec::new()).unwrap());
            for a in assessments {
                samples.push(pack(a, Vec::new()).unwrap());
            }
        }
        let dictionary = zstd::dict::from_samples(&samples, 16 * 1024).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/records.zdict");
        std::fs::write(path, dictionary).unwrap();
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
    fn records_compressed_without_the_dictionary_by_schema_4_still_read() {
        for (case, assessments) in sample().into_iter().take(5) {
            for a in assessments {
                let packed = pack(&a, Vec::new()).unwrap();
                let mut old = vec![ZSTD];
                old.extend(zstd::bulk::compress(&packed, LEVEL).unwrap());
                assert!(is_outdated(&old) && !is_legacy(&old));
                assert_eq!(decode::<Assessment>(&old).unwrap(), a);
                // With the dictionary it takes well under half as much.
                let new = encode(&a).unwrap();
                assert!(!is_outdated(&new));
                assert!(
                    new.len() * 2 < old.len(),
                    "{} against {}",
                    new.len(),
                    old.len()
                );
            }
            let packed = pack(&case, Vec::new()).unwrap();
            let mut old = vec![ZSTD];
            old.extend(zstd::bulk::compress(&packed, LEVEL).unwrap());
            assert_eq!(decode::<Case>(&old).unwrap(), case);
        }
    }

    #[test]
    fn small_records_are_not_compressed_and_damage_is_an_error_not_a_panic() {
        let small = encode(&"a short value").unwrap();
        assert_eq!(small[0], RAW);
        assert_eq!(decode::<String>(&small).unwrap(), "a short value");
        let (_, assessments) = sample().remove(0);
        let mut stored = encode(&assessments[0]).unwrap();
        assert_eq!(stored[0], ZSTD_DICT);
        let middle = stored.len() / 2;
        stored[middle] ^= 0x55;
        assert!(decode::<Assessment>(&stored).is_err());
        assert!(decode::<Assessment>(&[ZSTD]).is_err());
        assert!(decode::<Assessment>(&[ZSTD_DICT]).is_err());
        assert!(decode::<Assessment>(&[RAW, 0xc1]).is_err());
    }
}
