//! The summons (kallelse): a printable HTML page from a template, escaped.

use chrono::{DateTime, Locale, Utc};
use minijinja::{context, Environment};
use tidbok_domain::time::ZONE;
use tidbok_domain::{BookingDetails, PortalPolicy, Resident};

const TEMPLATE: &str = include_str!("../templates/summons/kallelse.html");

/// The summons' one inline `<style>` block, static text: the page opens from
/// the web app and so runs under the app's policy, which allows this block
/// by its hash and no other inline style (and no inline script at all).
pub fn style_block() -> &'static str {
    TEMPLATE
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style)
        .unwrap_or_default()
}

pub fn render(b: &BookingDetails, r: &Resident, now: DateTime<Utc>) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("kallelse.html", TEMPLATE)?;
    let local = b.slot.starts_at.with_timezone(&ZONE);
    env.get_template("kallelse.html")?.render(context! {
        unit => b.unit.name,
        address => b.unit.address,
        phone => b.unit.phone,
        resident_name => r.name.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default(),
        pnr => r.pnr.formatted(),
        date => local.format_localized("%A %-d %B %Y", Locale::sv_SE).to_string(),
        time => local.format("%H:%M").to_string(),
        minutes => b.slot.length_minutes(),
        type => b.appointment_type.name,
        practitioner => b.practitioner.name,
        instructions => b.appointment_type.instructions,
        cancelable => matches!(b.appointment_type.policy, PortalPolicy::Cancelable | PortalPolicy::SelfService),
        printed => now.with_timezone(&ZONE).format("%Y-%m-%d %H:%M").to_string(),
    })
}
