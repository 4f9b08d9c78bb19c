//! Reading a restricted-selection CSV: the first column of each line (`,`, `;`
//! or tab separated), a header line skipped, blank lines ignored. Line numbers count from 1 as a
//! spreadsheet shows them.

/// (line number, the number as written) for every line that holds one.
/// Numbers never contain `,` or `;`, so the first column is everything before
/// the first delimiter, unquoted.
pub fn numbers(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let first = raw.split([',', ';', '\t']).next().unwrap_or_default();
        let first = first.trim_start_matches('\u{feff}').trim().trim_matches('"').trim();
        if first.is_empty() {
            continue;
        }
        let header = line == 1 && !first.chars().any(|c| c.is_ascii_digit());
        if !header {
            out.push((line, first.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_column_of_each_line_is_read_and_a_header_skipped() {
        let csv = "\u{feff}Personnummer;Namn\n19121212-1212;Tolvan\n\n  198503142385 ;Anna\nfel\n";
        assert_eq!(
            numbers(csv),
            vec![
                (2, "19121212-1212".into()),
                (4, "198503142385".into()),
                (5, "fel".into())
            ]
        );
    }

    #[test]
    fn a_file_without_header_keeps_its_first_line() {
        assert_eq!(numbers("191212121212\n"), vec![(1, "191212121212".into())]);
    }
}
