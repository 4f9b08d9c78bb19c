//! Each use case — the resident's portal, the staff's desk, the
//! administrators' console — run on its own over the real SQLite store, on a
//! clock set to chosen instants: the happy path, every refusal, the
//! idempotent replay, and the effects the use case decides (notices, access
//! log lines, what publishing writes). Rules are cited by their number in
//! docs/domain.md.

/// Asserts that `value` matches `pattern`; on failure shows the value and
/// the optional context (a format string and its arguments).
macro_rules! assert_matches {
    ($value:expr, $pattern:pat $(if $guard:expr)? $(, $($context:tt)+)?) => {
        match &$value {
            $pattern $(if $guard)? => {}
            other => panic!(
                "expected {}, got {other:?}{}",
                stringify!($pattern),
                String::new() $(+ ": " + &format!($($context)+))?
            ),
        }
    };
}

mod admin;
mod reminders;
mod resident;
mod staff;
mod support;
