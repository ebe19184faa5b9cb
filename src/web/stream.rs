//! Response bodies produced off the async workers, chunk by chunk: a producer on a blocking thread
//! writes into a channel a few chunks deep and waits while the client reads, so memory stays
//! bounded however large the body (an export of 100,000 assessments, the whole audit log).

use actix_web::web::Bytes;
use tokio::sync::mpsc;

/// How many chunks may wait for the client.
const DEPTH: usize = 4;
/// The size a chunk is sent at.
const CHUNK: usize = 64 * 1024;

/// Where a producer writes: bytes are sent to the client in chunks of `CHUNK`.
pub struct ChunkWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Bytes, String>>,
}

impl ChunkWriter {
    /// Sends what is buffered; an error when the client has gone (the producer should stop).
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }

    /// Appends `bytes`, sending a chunk when one is full.
    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(())
    }
}

/// A body that `produce` writes on a blocking thread. An error it returns ends the body early
/// (the client sees a cut download, never a success), and is logged without its content.
pub fn produced_by<F>(
    what: &'static str,
    produce: F,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>>
where
    F: FnOnce(&mut ChunkWriter) -> Result<(), String> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(DEPTH);
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkWriter {
            buf: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
        };
        let done = produce(&mut out).and_then(|()| out.send().map_err(|e| e.to_string()));
        if let Err(error) = done {
            tracing::warn!(%error, body = what, "a streamed download stopped early");
            let _ = tx.blocking_send(Err("the download stopped early".to_owned()));
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move {
        let item = rx
            .recv()
            .await?
            .map_err(actix_web::error::ErrorInternalServerError);
        Some((item, rx))
    })
}
