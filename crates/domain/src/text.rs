//! Free-text values a resident or member of staff types: reason for visit,
//! message, cancellation reason. Each is parsed once (trimmed, length-checked,
//! no control characters but line breaks) and its `Debug` never shows the text,
//! because free text in health care is personal data.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacter,
}

fn clean(input: &str, max: usize, required: bool) -> Result<String, TextError> {
    let text = input.trim();
    if required && text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_owned())
}

macro_rules! free_text {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, required = $required:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(input: &str) -> Result<Self, TextError> {
                clean(input, $max, $required).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({} chars)"), self.0.chars().count())
            }
        }
    };
}

free_text!(
    /// Reason for visit (sökorsak), given when booking; shown to staff.
    ReasonForVisit, max = 500, required = true
);
free_text!(
    /// The optional message with a booking ("write your phone number, the counsellor calls you").
    BookingMessage, max = 1000, required = false
);
free_text!(
    /// Cancellation reason (orsak till avbokning): required by rule 4, shown to staff.
    CancellationReason, max = 500, required = true
);
free_text!(
    /// A person's name as the identity provider or staff give it.
    PersonName, max = 200, required = true
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancellation_reason_cannot_be_blank() {
        assert_eq!(CancellationReason::parse("   \n "), Err(TextError::Empty));
    }

    #[test]
    fn text_is_trimmed_and_kept() {
        assert_eq!(
            ReasonForVisit::parse("  Ont i ryggen\n").unwrap().as_str(),
            "Ont i ryggen"
        );
    }

    #[test]
    fn the_length_limit_counts_characters_not_bytes() {
        let at_limit = "å".repeat(ReasonForVisit::MAX_CHARS);
        assert!(ReasonForVisit::parse(&at_limit).is_ok());
        assert_eq!(
            ReasonForVisit::parse(&format!("{at_limit}å")),
            Err(TextError::TooLong { max: 500 })
        );
    }

    #[test]
    fn control_characters_other_than_line_breaks_are_refused() {
        assert_eq!(BookingMessage::parse("hej\u{0007}"), Err(TextError::ControlCharacter));
        assert!(BookingMessage::parse("rad 1\r\nrad 2").is_ok());
    }

    #[test]
    fn a_message_may_be_empty() {
        assert_eq!(BookingMessage::parse("").unwrap().as_str(), "");
    }

    #[test]
    fn debug_hides_the_text() {
        let reason = ReasonForVisit::parse("Diabetes").unwrap();
        assert_eq!(format!("{reason:?}"), "ReasonForVisit(8 chars)");
    }
}
