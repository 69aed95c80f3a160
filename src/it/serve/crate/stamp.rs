//! A build script that logs its start and end to WORK_LOG around one second of waiting.
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn stamp(what: &str) {
    let log = std::env::var("WORK_LOG").expect("WORK_LOG names the work log");
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let line = format!("{} build-{} {}\n", what, env!("CARGO_PKG_NAME"), nanos);
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    // one write of the whole line: writeln! on a File writes piece by piece, and lines of two
    // scripts ending together would interleave
    file.write_all(line.as_bytes()).unwrap();
}

fn main() {
    println!("cargo:rerun-if-env-changed=WORK_LOG");
    stamp("start");
    std::thread::sleep(Duration::from_secs(1));
    stamp("end");
}
