//! The markdown that models write, parsed into blocks and inline spans so the chat view can render it as
//! elements and text nodes. Raw HTML is never interpreted (it stays text), and links keep only web and mail
//! targets. Covers what chat answers use: headings, paragraphs, fenced code, lists, quotes, rules, tables,
//! code spans, strong, emphasis and links.

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    Code { language: Option<String>, text: String },
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Quote(Vec<Block>),
    Rule,
    Table { header: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>> },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    /// Only `http:`, `https:` and `mailto:` targets become links; anything else stays text.
    Link {
        text: Vec<Inline>,
        href: String,
    },
    LineBreak,
}

/// Nesting deeper than this (quotes in quotes, emphasis in links in …) is kept as text.
const MAX_DEPTH: usize = 8;

pub fn parse(text: &str) -> Vec<Block> {
    parse_blocks(text, 0)
}

fn parse_blocks(text: &str, depth: usize) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut index = 0;
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(parse_inlines(&paragraph.join("\n"), depth)));
            paragraph.clear();
        }
    };
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if let Some(fence) = ["```", "~~~"].into_iter().find(|fence| trimmed.starts_with(fence)) {
            flush(&mut paragraph, &mut blocks);
            let language = trimmed[fence.len()..].trim();
            let mut code = Vec::new();
            index += 1;
            while index < lines.len() && !lines[index].trim_start().starts_with(fence) {
                code.push(lines[index]);
                index += 1;
            }
            index += 1;
            blocks.push(Block::Code { language: (!language.is_empty()).then(|| language.to_string()), text: code.join("\n") });
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some((level, title)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(level, parse_inlines(title, depth)));
        } else if is_rule(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
        } else if trimmed.starts_with('>') && depth < MAX_DEPTH {
            flush(&mut paragraph, &mut blocks);
            let mut quoted = Vec::new();
            while index < lines.len() && lines[index].trim_start().starts_with('>') {
                let inner = &lines[index].trim_start()[1..];
                quoted.push(inner.strip_prefix(' ').unwrap_or(inner));
                index += 1;
            }
            blocks.push(Block::Quote(parse_blocks(&quoted.join("\n"), depth + 1)));
            continue;
        } else if let Some((ordered, _)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items: Vec<String> = Vec::new();
            while index < lines.len() {
                let line = lines[index];
                match list_item(line.trim_start()) {
                    Some((same, item)) if same == ordered => items.push(item.to_string()),
                    // An indented line continues the item above it.
                    _ if line.starts_with("  ") && !line.trim().is_empty() && !items.is_empty() => {
                        let last = items.last_mut().expect("checked above");
                        last.push('\n');
                        last.push_str(line.trim());
                    }
                    _ => break,
                }
                index += 1;
            }
            blocks.push(Block::List { ordered, items: items.iter().map(|item| parse_inlines(item, depth)).collect() });
            continue;
        } else if trimmed.starts_with('|') && lines.get(index + 1).is_some_and(|next| is_table_separator(next)) {
            flush(&mut paragraph, &mut blocks);
            let header = table_cells(trimmed).into_iter().map(|cell| parse_inlines(cell, depth)).collect();
            let mut rows = Vec::new();
            index += 2;
            while index < lines.len() && lines[index].trim_start().starts_with('|') {
                rows.push(table_cells(lines[index].trim()).into_iter().map(|cell| parse_inlines(cell, depth)).collect());
                index += 1;
            }
            blocks.push(Block::Table { header, rows });
            continue;
        } else {
            paragraph.push(line.trim_end());
        }
        index += 1;
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' ')))
        .then(|| (level as u8, rest.trim().trim_end_matches('#').trim_end()))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3 && ["-", "*", "_"].iter().any(|mark| compact.chars().all(|c| c.to_string() == *mark))
}

/// `- item`, `* item`, `+ item` or `1. item` / `1) item`: (ordered, the item's text).
fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, item));
        }
    }
    None
}

fn is_table_separator(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn table_cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(str::trim).collect()
}

fn parse_inlines(text: &str, depth: usize) -> Vec<Inline> {
    let mut inlines = Vec::new();
    let mut plain = String::new();
    let chars: Vec<char> = text.chars().collect();
    // Where a search for a closing mark has already failed: a later search from further on fails too, so
    // it is skipped (without this, `*a *a *a …` takes quadratic time).
    let mut no_closer_after: Vec<(char, usize, usize)> = Vec::new();
    let mut search_closer = |mark: char, width: usize, from: usize, found: &dyn Fn() -> Option<usize>| -> Option<usize> {
        if no_closer_after.iter().any(|&(m, w, f)| m == mark && w == width && from >= f) {
            return None;
        }
        let result = found();
        if result.is_none() {
            no_closer_after.push((mark, width, from));
        }
        result
    };
    let mut last_tick_runs: Option<Vec<Option<usize>>> = None;
    // Up to where no `]` closes a `[` on the same line (the same reason, for links).
    let mut no_bracket_before = 0;
    let mut i = 0;
    let push_plain = |plain: &mut String, inlines: &mut Vec<Inline>| {
        if !plain.is_empty() {
            inlines.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let rest = &chars[i..];
        if c == '\\' && i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() {
            plain.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '\n' {
            push_plain(&mut plain, &mut inlines);
            inlines.push(Inline::LineBreak);
            i += 1;
            continue;
        }
        if c == '`' {
            let ticks = rest.iter().take_while(|&&c| c == '`').count();
            // Where the last run of each length of backticks starts, found once: a run with no closing run of
            // its length after it is known at once (runs of 1, 2, 3, … ticks would each scan to the end).
            let last_runs = last_tick_runs.get_or_insert_with(|| last_run_starts(&chars, '`'));
            let may_close = last_runs.get(ticks).copied().flatten().is_some_and(|last| last >= i + ticks);
            if let Some(end) = may_close.then(|| find_run(&chars, i + ticks, '`', ticks)).flatten() {
                push_plain(&mut plain, &mut inlines);
                let code: String = chars[i + ticks..end].iter().collect();
                inlines.push(Inline::Code(code.trim().to_string()));
                i = end + ticks;
                continue;
            }
        }
        if depth < MAX_DEPTH && (c == '*' || c == '_') {
            let strong = rest.len() > 1 && rest[1] == c;
            let width = if strong { 2 } else { 1 };
            // `_` only delimits at word edges, so snake_case names stay whole.
            let opens = c == '*' || i == 0 || !chars[i - 1].is_alphanumeric();
            let next = chars.get(i + width);
            if opens && next.is_some_and(|n| !n.is_whitespace()) {
                if let Some(end) = search_closer(c, width, i + width, &|| find_delimiter(&chars, i + width, c, width)) {
                    push_plain(&mut plain, &mut inlines);
                    let inner: String = chars[i + width..end].iter().collect();
                    let children = parse_inlines(&inner, depth + 1);
                    inlines.push(if strong { Inline::Strong(children) } else { Inline::Emphasis(children) });
                    i = end + width;
                    continue;
                }
            }
        }
        if c == '[' && depth < MAX_DEPTH && i >= no_bracket_before {
            // A `[` that is not a link tells about every `[` before the `]` it found: they find the same `]`,
            // so they fail the same way (`[[[[…]` is linear, not quadratic).
            match link_bounds(&chars, i) {
                Err(line_end) => no_bracket_before = line_end,
                Ok((label_end, None)) => no_bracket_before = label_end,
                Ok((label_end, Some(target_end))) => {
                    let label: String = chars[i + 1..label_end].iter().collect();
                    let target: String = chars[label_end + 2..target_end].iter().collect();
                    let href = target.split_whitespace().next().unwrap_or_default().to_string();
                    if is_safe_href(&href) {
                        push_plain(&mut plain, &mut inlines);
                        inlines.push(Inline::Link { text: parse_inlines(&label, depth + 1), href });
                        i = target_end + 1;
                        continue;
                    }
                    no_bracket_before = label_end;
                }
            }
        }
        plain.push(c);
        i += 1;
    }
    push_plain(&mut plain, &mut inlines);
    inlines
}

/// For each length of run of `mark` (the index), where its last run starts.
fn last_run_starts(chars: &[char], mark: char) -> Vec<Option<usize>> {
    let mut last = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == mark {
            let run = chars[i..].iter().take_while(|&&c| c == mark).count();
            if last.len() <= run {
                last.resize(run + 1, None);
            }
            last[run] = Some(i);
            i += run;
        } else {
            i += 1;
        }
    }
    last
}

/// Where a run of exactly `count` `mark`s starts, from `from`.
fn find_run(chars: &[char], from: usize, mark: char, count: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == mark {
            let run = chars[i..].iter().take_while(|&&c| c == mark).count();
            if run == count {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// The closing `*`/`**`/`_`/`__`: not after whitespace, and for `_` not inside a word.
fn find_delimiter(chars: &[char], from: usize, mark: char, width: usize) -> Option<usize> {
    let mut i = from + 1;
    while i + width <= chars.len() {
        let matches = chars[i..i + width].iter().all(|&c| c == mark);
        let after_ok = mark == '*' || chars.get(i + width).is_none_or(|c| !c.is_alphanumeric());
        let before_ok = !chars[i - 1].is_whitespace();
        let not_longer = width == 2 || chars.get(i + 1) != Some(&mark);
        if matches && after_ok && before_ok && not_longer {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `[label](target)` starting at `start`: the index of its `]` and, when it is a link, of its `)`; or
/// Err(end of the line) when the line cannot close a link from here.
fn link_bounds(chars: &[char], start: usize) -> Result<(usize, Option<usize>), usize> {
    let label_end = match chars[start + 1..].iter().position(|&c| c == ']' || c == '\n') {
        Some(offset) if chars[start + 1 + offset] == ']' => start + 1 + offset,
        Some(offset) => return Err(start + 1 + offset),
        None => return Err(chars.len()),
    };
    if chars.get(label_end + 1) != Some(&'(') {
        return Ok((label_end, None));
    }
    // No `)` before the line ends: no later `[` on this line can be a link either.
    match chars[label_end + 2..].iter().position(|&c| c == ')' || c == '\n') {
        Some(offset) if chars[label_end + 2 + offset] == ')' => Ok((label_end, Some(label_end + 2 + offset))),
        Some(offset) => Err(label_end + 2 + offset),
        None => Err(chars.len()),
    }
}

pub fn is_safe_href(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    ["https://", "http://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
}
