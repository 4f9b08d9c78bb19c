//! Terms texts (villkorstexter): unit admins write Markdown (bold, italic,
//! bullet lists, links); residents get it as HTML that has been through an
//! allow-list sanitiser, so no script, event handler or foreign markup survives.

use std::collections::HashSet;

/// Longest terms text, in characters.
pub const MAX_TERMS_CHARS: usize = 10_000;

/// Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    ammonia::Builder::empty()
        .add_tags(["p", "br", "strong", "em", "ul", "ol", "li", "a"])
        .add_tag_attributes("a", ["href"])
        .url_schemes(HashSet::from(["https", "http", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_italic_lists_and_links_survive() {
        let html = render("Här kan du **boka** *vissa* tider.\n\n- Provtagning\n- [1177](https://www.1177.se)\n");
        assert!(
            html.contains("<strong>boka</strong>") && html.contains("<em>vissa</em>"),
            "{html}"
        );
        assert!(html.contains("<ul>") && html.contains("<li>Provtagning</li>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://www.1177.se" rel="noopener noreferrer">1177</a>"#),
            "{html}"
        );
    }

    #[test]
    fn scripts_handlers_and_javascript_links_never_survive() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[klicka](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<p onclick=\"alert(1)\">x</p>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg onload=alert(1)>",
            "<style>body{display:none}</style>",
        ] {
            let html = render(attack).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "onload",
                "javascript:",
                "<iframe",
                "<img",
                "<svg",
                "<style",
            ] {
                assert!(!html.contains(bad), "{attack:?} left {bad:?} in {html:?}");
            }
        }
    }
}
