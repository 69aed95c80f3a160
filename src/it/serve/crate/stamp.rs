//! A build script that logs its start and end to WORK_LOG around one second of waiting.
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn stamp(what: &str) {
    let log = std::env::var("WORK_LOG").expect("WORK_LOG names the work log");
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    writeln!(file, "{} build-{} {}", what, env!("CARGO_PKG_NAME"), nanos).unwrap();
}

fn main() {
    println!("cargo:rerun-if-env-changed=WORK_LOG");
    stamp("start");
    std::thread::sleep(Duration::from_secs(1));
    stamp("end");
}
