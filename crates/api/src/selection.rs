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

/// The lines of a register file (rule 17): the guardian's number, the
/// child's number and the child's name, separated by `;`, `,` or a tab (the
/// first line decides which), fields quoted as spreadsheets quote them; a
/// header line is skipped, blank lines ignored. A line with fewer columns
/// reads as empty ones (and is then refused for them).
pub fn register_lines(text: &str) -> Result<Vec<(usize, [String; 3])>, csv::Error> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .find(|d| first.as_bytes().contains(d))
        .unwrap_or(b';');
    // The reader skips blank lines without counting them; a lone delimiter
    // keeps each counted, so line numbers are the spreadsheet's.
    let spacer = char::from(delimiter).to_string();
    let text: String = text
        .lines()
        .map(|l| if l.trim().is_empty() { spacer.as_str() } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let columns = [field(0), field(1), field(2)];
        if columns.iter().all(String::is_empty) {
            continue;
        }
        let header = line == 1 && !columns[0].chars().any(|c| c.is_ascii_digit());
        if !header {
            out.push((line, columns));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_lines_read_three_columns_with_quotes_and_a_header() {
        let csv = "\u{feff}vårdnadshavare;barn;namn\n198503142385;20200607-0003;\"Elsa; Maja\"\n\n198503142385;20120229-0001\n";
        let lines = register_lines(csv).unwrap();
        assert_eq!(
            lines,
            vec![
                (2, ["198503142385".into(), "20200607-0003".into(), "Elsa; Maja".into()]),
                (4, ["198503142385".into(), "20120229-0001".into(), String::new()]),
            ]
        );
        let commas = register_lines("198503142385,20200607-0003,Elsa\n").unwrap();
        assert_eq!(commas[0].1[2], "Elsa");
    }

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
