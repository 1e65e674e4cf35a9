//! The `heard` binary: parses arguments and hands each subcommand to `web::commands`.
use clap::{Parser, Subcommand};

// An import screens and masks every answer on every core, making and freeing several small
// strings a word; glibc's allocator was a fifth of that work (perf), and with mimalloc the same
// 557,077-row import took 30.1-30.5 s instead of 34.7-35.6 s (PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "heard",
    version,
    about = "Consultation surveys with qualitative text analysis"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the surveys on the web.
    Serve(web::commands::serve::ServeArgs),
    /// Check survey files and report every problem.
    Check(web::commands::check::CheckArgs),
    /// Group the free-text answers in a CSV file into themes.
    Themes(web::commands::themes::ThemesArgs),
    /// Import answers gathered on paper, at events, by email or by partners from a CSV file.
    Import(web::commands::import::ImportArgs),
    /// Export a survey's responses and summary: CSV, spreadsheet, JSON or a printable report.
    Export(web::commands::export::ExportArgs),
    /// Screen every row of a CSV file for possible disclosures of harm.
    Screen(web::commands::screen::ScreenArgs),
    /// Mask personal data (names, phone numbers, addresses...) in every row of a CSV file.
    Mask(web::commands::mask::MaskArgs),
    /// Copy the database consistently, even while `heard serve` is running.
    Backup(web::commands::backup::BackupArgs),
    /// Add, list or disable the review team's accounts.
    User(web::commands::user::UserArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEARD_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let result = match cli.command {
        Command::Serve(args) => web::commands::serve::run(args),
        Command::Check(args) => web::commands::check::run(args),
        Command::Themes(args) => web::commands::themes::run(args),
        Command::Import(args) => web::commands::import::run(args),
        Command::Export(args) => web::commands::export::run(args),
        Command::Screen(args) => web::commands::screen::run(args),
        Command::Mask(args) => web::commands::mask::run(args),
        Command::Backup(args) => web::commands::backup::run(args),
        Command::User(args) => web::commands::user::run(args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
