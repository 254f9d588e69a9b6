//! The load generator's HTTP/1.1 client: one keep-alive connection over
//! tokio's `TcpStream`, `POST` with `Content-Length`, the answer read by its
//! `Content-Length`; it reconnects after an error.
//!
//! Not for: general HTTP (no chunked answers, no TLS, no redirects); only
//! what the feedback service answers.

use std::io::{self, Write as _};
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// One keep-alive HTTP/1.1 connection; reconnects after an error.
pub struct Client {
    addr: SocketAddr,
    host: String,
    stream: Option<TcpStream>,
    out: Vec<u8>,
    buf: Vec<u8>,
    pub body: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn protocol_error(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            host: addr.to_string(),
            stream: None,
            out: Vec::with_capacity(512),
            buf: Vec::with_capacity(8192),
            body: Vec::new(),
        }
    }

    pub fn reset(&mut self) {
        self.stream = None;
        self.buf.clear();
    }

    /// Sends `POST path` with a JSON body; returns the status (the body is
    /// left in `self.body`).
    pub async fn post(&mut self, path: &str, json: &str) -> io::Result<u16> {
        if self.stream.is_none() {
            let s = TcpStream::connect(self.addr).await?;
            s.set_nodelay(true)?;
            self.stream = Some(s);
            self.buf.clear();
        }
        self.out.clear();
        write!(
            self.out,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{json}",
            self.host,
            json.len()
        )?;
        let Some(stream) = self.stream.as_ref() else {
            return Err(protocol_error("not connected"));
        };
        write_all(stream, &self.out).await?;
        // Status line and headers.
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i;
            }
            if self.buf.len() > 64 * 1024 {
                return Err(protocol_error("response head larger than 64 KiB"));
            }
            if read_more(stream, &mut self.buf).await? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed by the service",
                ));
            }
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| protocol_error("response head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let status: u16 = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|s| s.get(..3))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| protocol_error("bad status line"))?;
        let mut length = None;
        let mut close = false;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(protocol_error("transfer-encoding is not supported here"));
            }
        }
        let length = length.ok_or_else(|| protocol_error("response without Content-Length"))?;
        // The body, by Content-Length.
        let total = head_end + 4 + length;
        while self.buf.len() < total {
            if read_more(stream, &mut self.buf).await? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a response",
                ));
            }
        }
        self.body.clear();
        self.body.extend_from_slice(&self.buf[head_end + 4..total]);
        self.buf.drain(..total);
        if close {
            self.reset();
        }
        Ok(status)
    }
}

async fn write_all(s: &TcpStream, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        match s.try_write(data) {
            Ok(n) => data = &data[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.writable().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn read_more(s: &TcpStream, buf: &mut Vec<u8>) -> io::Result<usize> {
    loop {
        s.readable().await?;
        let len = buf.len();
        buf.resize(len + 4096, 0);
        let r = s.try_read(&mut buf[len..]);
        buf.truncate(len + *r.as_ref().unwrap_or(&0));
        match r {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
}
