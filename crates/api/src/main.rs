//! `tidbok`: one binary for serving, migrating, seeding and writing the contract.

use clap::{Parser, Subcommand};
use std::io::Write;
use tidbok_api::config::{DatabaseSettings, Settings};
use tidbok_api::startup::Application;
use tidbok_api::telemetry;

#[derive(Parser)]
#[command(
    name = "tidbok",
    version,
    about = "Tidbok: the appointment book and online booking service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve(Box<Settings>),
    /// Apply the database migrations and exit.
    Migrate(DatabaseSettings),
    /// Load the demo data into an empty database and exit.
    SeedDemo(DatabaseSettings),
    /// Write the OpenAPI contract (JSON) to stdout or a file.
    Openapi {
        /// File to write instead of stdout.
        #[arg(long, short)]
        output: Option<String>,
    },
    /// Write the problem-type catalogue (Markdown) to stdout or a file.
    Problems {
        #[arg(long, short)]
        output: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = std::env::var("TIDBOK_LOG").unwrap_or_else(|_| telemetry::DEFAULT_FILTER.to_owned());
    match cli.command {
        Command::Serve(settings) => {
            telemetry::init(&filter, std::io::stdout);
            let app = Application::build(&settings).await?;
            let base = format!("http://{}:{}", settings.host, app.port());
            tracing::info!(backend = app.backend().name(), port = app.port(), "tidbok is listening");
            eprintln!(
                "\nTidbok is running on {backend}.\n  API:      {base}/api/v1\n  API docs: {base}/docs/\n  Contract: {base}/api-docs/openapi.json\n  Health:   {base}/healthz, {base}/readyz\n",
                backend = app.backend().name()
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate(db) => {
            telemetry::init(&filter, std::io::stderr);
            let backend = tidbok_store::Backend::connect(&db.store_config()).await?;
            backend.migrate().await?;
            eprintln!("migrated ({})", backend.name());
        }
        Command::SeedDemo(db) => {
            telemetry::init(&filter, std::io::stderr);
            let backend = tidbok_store::Backend::connect(&db.store_config()).await?;
            backend.migrate().await?;
            let loaded = tidbok_api::seed::seed_if_empty(
                &backend.store(),
                tidbok_domain::ports::Clock::now(&tidbok_domain::ports::SystemClock),
            )
            .await?;
            eprintln!(
                "{}",
                if loaded {
                    "demo data loaded"
                } else {
                    "the database is not empty; nothing loaded"
                }
            );
        }
        Command::Openapi { output } => {
            let json = serde_json::to_string_pretty(&tidbok_api::startup::openapi())? + "\n";
            write(output, &json)?;
        }
        Command::Problems { output } => write(output, &tidbok_api::problem::problems_markdown())?,
    }
    Ok(())
}

fn write(output: Option<String>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, text)?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}
