//! Running one statement on either backend.
//!
//! A [`Query`] is SQL text and its parameters as plain values ([`Arg`]), so
//! an area module writes each statement once — `query(SQL).bind(..)` — and
//! runs it on the pool or inside a transaction ([`On`]) of whichever backend
//! the store was opened on. Only here does the code branch on the backend to
//! hand the statement to sqlx; rows come back as [`Row`], which the readers in
//! [`crate::columns`] read the same way for both.
//!
//! Statements that differ between the backends are chosen by the area module
//! itself, side by side (e.g. [`crate::outbox`], [`crate::booking::online`]).

use crate::backend::Backend;
use crate::columns::Columns;
use crate::error::db_error;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Encode, Postgres, Sqlite, Type};
use std::borrow::Cow;
use tidbok_domain::ports::StoreResult;
use uuid::Uuid;

/// One parameter's value. `None` binds a typed NULL. (No `Debug`: values
/// may be personal data.)
#[derive(Clone, PartialEq)]
pub(crate) enum Arg<'a> {
    Uuid(Option<Uuid>),
    Text(Option<Cow<'a, str>>),
    Int(Option<i32>),
    BigInt(i64),
    Bool(bool),
    Instant(Option<DateTime<Utc>>),
    Date(NaiveDate),
    /// Arrays are PostgreSQL's (for `unnest`); SQLite refuses them.
    Uuids(Vec<Option<Uuid>>),
    Texts(Vec<Option<Cow<'a, str>>>),
    Instants(Vec<DateTime<Utc>>),
}

/// Where a statement runs: on the pool (a connection of its own) or inside
/// an open transaction.
pub(crate) enum On<'e> {
    Pool(&'e Backend),
    Tx(&'e mut Tx),
}

impl<'e> From<&'e Backend> for On<'e> {
    fn from(db: &'e Backend) -> Self {
        On::Pool(db)
    }
}

impl<'e> From<&'e mut Tx> for On<'e> {
    fn from(tx: &'e mut Tx) -> Self {
        On::Tx(tx)
    }
}

/// An open transaction on either backend; rolled back when dropped
/// uncommitted.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// A row of either backend.
pub(crate) enum Row {
    Sqlite(sqlx::sqlite::SqliteRow),
    Postgres(sqlx::postgres::PgRow),
}

/// A statement and its parameters in bind order.
pub(crate) struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Arg<'q>>,
}

/// The statement `sql`, to be given its parameters with [`Query::bind`].
pub(crate) fn query(sql: &str) -> Query<'_> {
    Query {
        sql: Cow::Borrowed(sql),
        args: Vec::new(),
    }
}

impl<'q> Query<'q> {
    /// Binds the next parameter (`$1`, then `$2` ...).
    pub(crate) fn bind(mut self, value: impl Into<Arg<'q>>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Appends SQL text, for statements whose shape depends on the input.
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.to_mut().push_str(sql);
        self
    }

    /// Appends the next parameter's placeholder and binds it.
    pub(crate) fn push_bind(&mut self, value: impl Into<Arg<'q>>) -> &mut Self {
        self.args.push(value.into());
        let placeholder = format!("${}", self.args.len());
        self.push(&placeholder)
    }

    /// Appends `VALUES (..), (..)`: one parenthesised row per item, whose
    /// values `row` binds with [`Query::push_bind`].
    pub(crate) fn push_values<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut row: impl FnMut(&mut Values<'_, 'q>, T),
    ) {
        self.push(" VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            self.push(if i == 0 { "(" } else { ", (" });
            row(
                &mut Values {
                    query: self,
                    first: true,
                },
                item,
            );
            self.push(")");
        }
    }

    // The text and values, for the benchmark's ceiling to render.
    #[cfg(feature = "testing")]
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    #[cfg(feature = "testing")]
    pub(crate) fn args(&self) -> &[Arg<'q>] {
        &self.args
    }

    pub(crate) async fn execute<'e>(self, on: impl Into<On<'e>>) -> sqlx::Result<u64> {
        let sql = &*self.sql;
        Ok(match on.into() {
            On::Pool(Backend::Sqlite(pool)) => sqlite(sql, self.args)?.execute(pool).await?.rows_affected(),
            On::Pool(Backend::Postgres(pool)) => postgres(sql, self.args)?.execute(pool).await?.rows_affected(),
            On::Tx(Tx::Sqlite(tx)) => sqlite(sql, self.args)?.execute(&mut **tx).await?.rows_affected(),
            On::Tx(Tx::Postgres(tx)) => postgres(sql, self.args)?.execute(&mut **tx).await?.rows_affected(),
        })
    }

    pub(crate) async fn fetch_all<'e>(self, on: impl Into<On<'e>>) -> sqlx::Result<Vec<Row>> {
        let sql = &*self.sql;
        Ok(match on.into() {
            On::Pool(Backend::Sqlite(pool)) => rows(sqlite(sql, self.args)?.fetch_all(pool).await?, Row::Sqlite),
            On::Pool(Backend::Postgres(pool)) => rows(postgres(sql, self.args)?.fetch_all(pool).await?, Row::Postgres),
            On::Tx(Tx::Sqlite(tx)) => rows(sqlite(sql, self.args)?.fetch_all(&mut **tx).await?, Row::Sqlite),
            On::Tx(Tx::Postgres(tx)) => rows(postgres(sql, self.args)?.fetch_all(&mut **tx).await?, Row::Postgres),
        })
    }

    pub(crate) async fn fetch_optional<'e>(self, on: impl Into<On<'e>>) -> sqlx::Result<Option<Row>> {
        let sql = &*self.sql;
        Ok(match on.into() {
            On::Pool(Backend::Sqlite(pool)) => sqlite(sql, self.args)?.fetch_optional(pool).await?.map(Row::Sqlite),
            On::Pool(Backend::Postgres(pool)) => {
                postgres(sql, self.args)?.fetch_optional(pool).await?.map(Row::Postgres)
            }
            On::Tx(Tx::Sqlite(tx)) => sqlite(sql, self.args)?
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Sqlite),
            On::Tx(Tx::Postgres(tx)) => postgres(sql, self.args)?
                .fetch_optional(&mut **tx)
                .await?
                .map(Row::Postgres),
        })
    }

    pub(crate) async fn fetch_one<'e>(self, on: impl Into<On<'e>>) -> sqlx::Result<Row> {
        self.fetch_optional(on).await?.ok_or(sqlx::Error::RowNotFound)
    }

    /// Every row, read with `read` (a reader of [`crate::columns`]).
    pub(crate) async fn all<'e, T>(
        self,
        on: impl Into<On<'e>>,
        read: impl Fn(&Row) -> sqlx::Result<T>,
    ) -> StoreResult<Vec<T>> {
        let rows = self.fetch_all(on).await.map_err(db_error)?;
        rows.iter().map(|r| read(r).map_err(db_error)).collect()
    }

    /// The row if there is one, read with `read`.
    pub(crate) async fn optional<'e, T>(
        self,
        on: impl Into<On<'e>>,
        read: impl Fn(&Row) -> sqlx::Result<T>,
    ) -> StoreResult<Option<T>> {
        let row = self.fetch_optional(on).await.map_err(db_error)?;
        row.map(|r| read(&r)).transpose().map_err(db_error)
    }
}

/// The values of one row of [`Query::push_values`].
pub(crate) struct Values<'a, 'q> {
    query: &'a mut Query<'q>,
    first: bool,
}

impl<'q> Values<'_, 'q> {
    pub(crate) fn push_bind(&mut self, value: impl Into<Arg<'q>>) -> &mut Self {
        if !std::mem::take(&mut self.first) {
            self.query.push(", ");
        }
        self.query.push_bind(value);
        self
    }
}

fn rows<R>(rows: Vec<R>, wrap: impl Fn(R) -> Row) -> Vec<Row> {
    rows.into_iter().map(wrap).collect()
}

type SqlxQuery<'q, DB> = sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>;

fn sqlite<'q>(sql: &'q str, args: Vec<Arg<'q>>) -> sqlx::Result<SqlxQuery<'q, Sqlite>> {
    args.into_iter().try_fold(sqlx::query(sql), |q, arg| {
        bind_scalar(q, arg).map_err(|_| sqlx::Error::Encode("arrays are bound on PostgreSQL only".into()))
    })
}

fn postgres<'q>(sql: &'q str, args: Vec<Arg<'q>>) -> sqlx::Result<SqlxQuery<'q, Postgres>> {
    Ok(args.into_iter().fold(sqlx::query(sql), |q, arg| match arg {
        Arg::Uuids(v) => q.bind(v),
        Arg::Texts(v) => q.bind(v),
        Arg::Instants(v) => q.bind(v),
        scalar => bind_scalar(q, scalar).unwrap_or_else(|_| unreachable!("arrays are bound above")),
    }))
}

/// Binds a value both backends know; an array comes back unbound.
fn bind_scalar<'q, DB: Database>(q: SqlxQuery<'q, DB>, arg: Arg<'q>) -> Result<SqlxQuery<'q, DB>, Arg<'q>>
where
    Option<Uuid>: Encode<'q, DB> + Type<DB>,
    Option<Cow<'q, str>>: Encode<'q, DB> + Type<DB>,
    Option<i32>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
    NaiveDate: Encode<'q, DB> + Type<DB>,
{
    Ok(match arg {
        Arg::Uuid(v) => q.bind(v),
        Arg::Text(v) => q.bind(v),
        Arg::Int(v) => q.bind(v),
        Arg::BigInt(v) => q.bind(v),
        Arg::Bool(v) => q.bind(v),
        Arg::Instant(v) => q.bind(v),
        Arg::Date(v) => q.bind(v),
        array @ (Arg::Uuids(_) | Arg::Texts(_) | Arg::Instants(_)) => return Err(array),
    })
}

impl Row {
    fn get<T>(&self, column: &str) -> sqlx::Result<T>
    where
        T: for<'r> sqlx::Decode<'r, Sqlite> + Type<Sqlite> + for<'r> sqlx::Decode<'r, Postgres> + Type<Postgres>,
    {
        use sqlx::Row as _;
        match self {
            Row::Sqlite(r) => r.try_get(column),
            Row::Postgres(r) => r.try_get(column),
        }
    }
}

impl Columns for Row {
    fn uuid(&self, c: &str) -> sqlx::Result<Uuid> {
        self.get(c)
    }
    fn opt_uuid(&self, c: &str) -> sqlx::Result<Option<Uuid>> {
        self.get(c)
    }
    fn text(&self, c: &str) -> sqlx::Result<String> {
        self.get(c)
    }
    fn opt_text(&self, c: &str) -> sqlx::Result<Option<String>> {
        self.get(c)
    }
    fn int(&self, c: &str) -> sqlx::Result<i32> {
        self.get(c)
    }
    fn opt_int(&self, c: &str) -> sqlx::Result<Option<i32>> {
        self.get(c)
    }
    fn count(&self, c: &str) -> sqlx::Result<i64> {
        self.get(c)
    }
    fn flag(&self, c: &str) -> sqlx::Result<bool> {
        self.get(c)
    }
    fn instant(&self, c: &str) -> sqlx::Result<DateTime<Utc>> {
        self.get(c)
    }
    fn opt_instant(&self, c: &str) -> sqlx::Result<Option<DateTime<Utc>>> {
        self.get(c)
    }
    fn date(&self, c: &str) -> sqlx::Result<NaiveDate> {
        self.get(c)
    }
}

// What `bind` takes: the Rust values the ports hand over.

impl From<Uuid> for Arg<'_> {
    fn from(v: Uuid) -> Self {
        Arg::Uuid(Some(v))
    }
}

impl From<Option<Uuid>> for Arg<'_> {
    fn from(v: Option<Uuid>) -> Self {
        Arg::Uuid(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Some(Cow::Borrowed(v)))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Some(Cow::Owned(v)))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::Text(v.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::Text(v.as_deref().map(Cow::Borrowed))
    }
}

impl From<i32> for Arg<'_> {
    fn from(v: i32) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i32>> for Arg<'_> {
    fn from(v: Option<i32>) -> Self {
        Arg::Int(v)
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::BigInt(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}

impl From<DateTime<Utc>> for Arg<'_> {
    fn from(v: DateTime<Utc>) -> Self {
        Arg::Instant(Some(v))
    }
}

impl From<Option<DateTime<Utc>>> for Arg<'_> {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Arg::Instant(v)
    }
}

impl From<NaiveDate> for Arg<'_> {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(v)
    }
}

impl From<Vec<Option<Uuid>>> for Arg<'_> {
    fn from(v: Vec<Option<Uuid>>) -> Self {
        Arg::Uuids(v)
    }
}

impl From<Vec<Uuid>> for Arg<'_> {
    fn from(v: Vec<Uuid>) -> Self {
        Arg::Uuids(v.into_iter().map(Some).collect())
    }
}

impl<'a> From<Vec<Option<&'a str>>> for Arg<'a> {
    fn from(v: Vec<Option<&'a str>>) -> Self {
        Arg::Texts(v.into_iter().map(|t| t.map(Cow::Borrowed)).collect())
    }
}

impl<'a> From<Vec<&'a str>> for Arg<'a> {
    fn from(v: Vec<&'a str>) -> Self {
        Arg::Texts(v.into_iter().map(|t| Some(Cow::Borrowed(t))).collect())
    }
}

impl From<Vec<DateTime<Utc>>> for Arg<'_> {
    fn from(v: Vec<DateTime<Utc>>) -> Self {
        Arg::Instants(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_values_are_numbered_after_the_bound_ones() {
        let mut q = query("INSERT INTO t (a, b)").bind(1);
        q.push_values([(2, "x"), (3, "y")], |row, (n, s)| {
            row.push_bind(n).push_bind(s);
        });
        assert_eq!(q.sql, "INSERT INTO t (a, b) VALUES ($2, $3), ($4, $5)");
        assert_eq!(q.args.len(), 5);
    }
}
