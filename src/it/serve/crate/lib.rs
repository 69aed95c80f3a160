//! Each crate of the workspace is this one line; the build script is the work.
pub fn name() -> &'static str {
    env!("CARGO_PKG_NAME")
}
