//! What Python's `json` writes that JSON has no place for: `NaN`, `Infinity` and `-Infinity` for floats, and
//! lone surrogates (`"\udc80"`) kept from undecodable text. One of them used to make a whole file unreadable;
//! they are read as `null` and as U+FFFD (�), and everything else as it is.

/// The text with those repaired, or None when it holds none (checked first with plain searches, so a file
/// without them costs one pass of `contains`).
pub fn repaired(text: &str) -> Option<String> {
    let may_hold = ["NaN", "Infinity", "\\ud", "\\uD"].iter().any(|word| text.contains(word));
    if !may_hold {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0;
    let mut changed = false;
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let replacement = if in_string {
            match bytes[i] {
                b'"' => {
                    in_string = false;
                    None
                }
                b'\\' => match surrogate_at(bytes, i + 1) {
                    // A high surrogate followed by a low one is one character: both kept.
                    Some(0xD800..=0xDBFF)
                        if bytes.get(i + 6) == Some(&b'\\') && matches!(surrogate_at(bytes, i + 7), Some(0xDC00..=0xDFFF)) =>
                    {
                        i += 12;
                        continue;
                    }
                    Some(_) => Some((6, "\\ufffd")),
                    // Any other escape is two characters (a `\u` of a non-surrogate is copied on).
                    None => {
                        i += 2;
                        continue;
                    }
                },
                _ => None,
            }
        } else {
            match bytes[i] {
                b'"' => {
                    in_string = true;
                    None
                }
                b'N' if bytes[i..].starts_with(b"NaN") => Some((3, "null")),
                b'I' if bytes[i..].starts_with(b"Infinity") => Some((8, "null")),
                b'-' if bytes[i..].starts_with(b"-Infinity") => Some((9, "null")),
                _ => None,
            }
        };
        match replacement {
            Some((length, with)) => {
                out.push_str(&text[copied_to..i]);
                out.push_str(with);
                i += length;
                copied_to = i;
                changed = true;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied_to..]);
    changed.then_some(out)
}

/// JSON text decoded, Python's additions read as [`repaired`] reads them (only when it does not read as it
/// is); None when it is not JSON.
pub fn decode(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok().or_else(|| serde_json::from_str(&repaired(text)?).ok())
}

/// The surrogate code unit escaped as `uXXXX` at `at` (just after a backslash), if that is one.
fn surrogate_at(bytes: &[u8], at: usize) -> Option<u32> {
    if bytes.get(at) != Some(&b'u') {
        return None;
    }
    let digits = std::str::from_utf8(bytes.get(at + 1..at + 5)?).ok()?;
    let unit = u32::from_str_radix(digits, 16).ok()?;
    (0xD800..=0xDFFF).contains(&unit).then_some(unit)
}
