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

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("not a mobile number: use 07x-xxx xx xx or +<country code><number>")]
    Phone,
    #[error("not an e-mail address")]
    Email,
}

/// A mobile number for SMS, normalised to E.164 (`+46701234567`). Swedish
/// numbers may be written `070-123 45 67`; others need their `+` prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let international = if let Some(rest) = compact.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("+46{rest}")
        } else {
            compact
        };
        let digits = international.strip_prefix('+').ok_or(ContactError::Phone)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(8..=15).contains(&digits.len()) {
            return Err(ContactError::Phone);
        }
        // Swedish mobile numbers are 07x followed by seven digits.
        if let Some(national) = digits.strip_prefix("46") {
            if !(national.len() == 9 && national.starts_with('7')) {
                return Err(ContactError::Phone);
            }
        }
        Ok(Self(international))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(***)")
    }
}

/// An e-mail address: one `@`, a dotted domain, no spaces, at most 254 characters.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, ContactError> {
        let email = input.trim();
        let (local, domain) = email.split_once('@').ok_or(ContactError::Email)?;
        let valid = !local.is_empty()
            && local.len() <= 64
            && email.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && email.chars().all(|c| !c.is_whitespace() && !c.is_control())
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if valid {
            Ok(Self(email.to_owned()))
        } else {
            Err(ContactError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(***)")
    }
}

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

    #[test]
    fn swedish_mobile_numbers_are_normalised() {
        for input in [
            "070-123 45 67",
            "0701234567",
            "+46701234567",
            "0046 70 123 45 67",
            "+46 (0)70",
        ] {
            let parsed = PhoneNumber::parse(input);
            if input.contains("(0)") {
                assert!(parsed.is_err(), "{input}");
            } else {
                assert_eq!(parsed.unwrap().as_str(), "+46701234567", "{input}");
            }
        }
        assert!(PhoneNumber::parse("+4915112345678").is_ok(), "a German mobile");
        for bad in ["040-12 34 56", "abc", "", "+46", "0701234567890123", "+46 8 123 456 78"] {
            assert_eq!(PhoneNumber::parse(bad), Err(ContactError::Phone), "{bad}");
        }
    }

    #[test]
    fn email_addresses_are_checked() {
        assert_eq!(
            EmailAddress::parse(" anna.svensson@exempel.se ").unwrap().as_str(),
            "anna.svensson@exempel.se"
        );
        for bad in [
            "anna",
            "anna@",
            "@exempel.se",
            "anna@exempel",
            "an na@exempel.se",
            "anna@@exempel.se",
            "anna@exempel..se",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(ContactError::Email), "{bad}");
        }
    }
}
