//! Parameters files (TOML, YAML, JSON) and milink.toml on arbitrary text: an error with
//! a location or a value, never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milink_lint::params::{parse_params, ParamsFormat};
use milink_lint::span::FileId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [ParamsFormat::Toml, ParamsFormat::Yaml, ParamsFormat::Json] {
        let _ = parse_params(text, FileId(0), format);
    }
    let _ = milink_lint::config::parse_text(text, std::path::Path::new("milink.toml"));
});
