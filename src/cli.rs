//! The command line: `serve` (the default), `user add`, `instrument export`. Errors are one line on
//! stderr with a non-zero exit code: 2 for usage errors, 1 for everything else.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::configuration::Settings;
use crate::domain::{AuditAction, AuditEvent, Outcome, Password, Role, Username};
use crate::instrument::Instrument;
use crate::startup::Application;
use crate::store::Store;

/// exit-factors: an evidence-based checklist for programmes that help women exit sex trafficking.
#[derive(Debug, Parser)]
#[command(
    name = "exit-factors",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web service (the default when no command is given).
    Serve(ServeArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill a new, empty data directory with demo accounts and synthetic cases.
    Demo {
        /// How many cases to create.
        #[arg(long)]
        cases: usize,
        /// Seed for reproducible data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Show the checklist instrument.
    #[command(subcommand)]
    Instrument(InstrumentCommand),
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on, HOST:PORT.
    #[arg(long, env = "EXIT_FACTORS_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    #[command(flatten)]
    data: DataDirArg,
    /// Mark cookies Secure (set this when a TLS proxy serves the site).
    #[arg(long, env = "EXIT_FACTORS_SECURE_COOKIES")]
    secure_cookies: bool,
}

#[derive(Debug, Args)]
struct DataDirArg {
    /// Directory of the data store.
    #[arg(long, env = "EXIT_FACTORS_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from stdin (one line), or prompted for on a terminal.
    Add {
        /// Sign-in name (3 to 32 characters: a-z, digits, '.', '_', '-').
        #[arg(long)]
        username: String,
        /// operator, supervisor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[command(flatten)]
        data: DataDirArg,
    },
}

#[derive(Debug, Subcommand)]
enum InstrumentCommand {
    /// Print the active instrument.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|e: crate::domain::role::UnknownRole| e.to_string())
}

/// A failure to report on one line.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let rendered = e.to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{first} (see exit-factors --help)");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve(args),
        Command::User(UserCommand::Add {
            username,
            role,
            data,
        }) => add_user(&username, role, data.data_dir),
        Command::Demo { cases, seed, data } => demo(cases, seed, data.data_dir),
        Command::Instrument(InstrumentCommand::Export {
            format: ExportFormat::Json,
        }) => export_instrument(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), Failure> {
    crate::telemetry::init();
    let mut settings = Settings::new(args.addr, args.data.data_dir);
    settings.secure_cookies = args.secure_cookies;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "exit-factors is running: open {}", app.url())?;
        if let Some(link) = app.setup_url() {
            writeln!(
                out,
                "No administrator exists yet. Open this one-time link to create one: {link}"
            )?;
        }
        out.flush()?;
        drop(out);
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn read_password() -> Result<String, Failure> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (12 to 128 characters): ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if first != again {
            return Err(Failure("the two passwords are not the same".into()));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_owned())
    }
}

fn add_user(username: &str, role: Role, data_dir: PathBuf) -> Result<(), Failure> {
    let username = Username::parse(username)?;
    // Open the store first: a locked data dir should be reported before asking for a password.
    let store = Store::open(&data_dir)?;
    let password =
        Password::parse(read_password()?).map_err(|e| Failure(format!("password: {e}")))?;
    actix_web::rt::System::new().block_on(async move {
        let hash = crate::auth::password::hash(password)
            .await
            .map_err(|e| Failure(e.to_string()))?;
        let now = time::OffsetDateTime::now_utc();
        let user = store
            .create_user(username, role, hash, now, move |user| {
                AuditEvent::new(now, None, AuditAction::UserCreated, Outcome::Success)
                    .on(format!("{} (command line)", user.id))
            })
            .await?;
        println!("created {} {}", user.role, user.username);
        Ok(())
    })
}

fn demo(cases: usize, seed: u64, data_dir: PathBuf) -> Result<(), Failure> {
    let instrument = Instrument::bundled()?;
    let store = Store::open(&data_dir)?;
    actix_web::rt::System::new().block_on(async move {
        let now = time::OffsetDateTime::now_utc();
        let accounts = crate::demo::fill(&store, &instrument, cases, seed, now).await?;
        println!("Demo data: {cases} cases in {}", data_dir.display());
        println!("Accounts (the passwords are shown only now):");
        for (name, role, password) in &accounts.0 {
            println!("  {:<10} {name:<16} {password}", role.as_str());
        }
        Ok(())
    })
}

fn export_instrument() -> Result<(), Failure> {
    let instrument = Instrument::bundled()?;
    println!("{}", instrument.to_json()?);
    Ok(())
}
