//! The command line: `serve` (the default), `user add`, `instrument export`. Errors are one line on
//! stderr with a non-zero exit code: 2 for usage errors, 1 for everything else.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::backup::service::BackupConfig;
use crate::backup::{self, OpenKey, SealKey};
use crate::configuration::Settings;
use crate::domain::{AuditAction, AuditEvent, Outcome, Password, Role, Username};
use crate::instrument::Instrument;
use crate::startup::Application;
use crate::store::{CacheSize, Store};

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
    /// Back up a stopped server's data directory into one encrypted file, or check a backup.
    Backup(BackupCli),
    /// Rewrite the data directory into a compact copy that takes its place (with the server
    /// stopped). Everyone signs in again afterwards.
    Compact {
        #[command(flatten)]
        data: DataDirArg,
    },
    /// Restore a backup into a new, empty data directory (verifying it first).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// The new data directory (must not exist, or be empty).
        #[arg(long)]
        data_dir: PathBuf,
        /// The master key for the new directory (default: made beside it, DIR.key).
        #[arg(long, env = "EXIT_FACTORS_KEY_FILE")]
        key_file: Option<PathBuf>,
        /// The erasure register to apply after the restore (default: erasure-register.age
        /// beside the backup file, if there is one).
        #[arg(long)]
        erasure_register: Option<PathBuf>,
        #[command(flatten)]
        key: OpenKeyArgs,
    },
    /// The master key that encrypts the data directory.
    #[command(subcommand)]
    Key(KeyCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Create a new master key file (readable by its owner only).
    Init {
        /// Where to write it (it must not exist).
        #[arg(long, env = "EXIT_FACTORS_KEY_FILE")]
        key_file: PathBuf,
    },
    /// Replace the master key of a stopped server's data directory: re-wraps the data keys
    /// with a new key written over the key file (records are not re-encrypted).
    Rotate {
        #[command(flatten)]
        data: DataDirArg,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain: of a stopped server's data directory, or of an exported
    /// file (--file).
    Verify {
        /// An exported audit log (JSON Lines) to check instead of the data directory.
        #[arg(long)]
        file: Option<PathBuf>,
        #[command(flatten)]
        data: DataDirArg,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct BackupCli {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    #[command(flatten)]
    data: DataDirArg,
    /// The backup file to write.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    key: SealKeyArgs,
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Decrypt a backup and check every record against its manifest.
    Verify {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        key: OpenKeyArgs,
    },
}

/// The key backups are made with: a passphrase file or an age public key.
#[derive(Debug, Args, Clone)]
struct SealKeyArgs {
    /// File whose first line is the backup passphrase (12 characters or more).
    #[arg(
        long,
        env = "EXIT_FACTORS_BACKUP_PASSPHRASE_FILE",
        conflicts_with = "recipient"
    )]
    passphrase_file: Option<PathBuf>,
    /// age public key (age1…) to encrypt backups to; its identity file opens them.
    #[arg(long, env = "EXIT_FACTORS_BACKUP_RECIPIENT")]
    recipient: Option<String>,
}

/// What opens a backup: the passphrase file or an age identity file.
#[derive(Debug, Args)]
struct OpenKeyArgs {
    /// File whose first line is the backup passphrase.
    #[arg(
        long,
        env = "EXIT_FACTORS_BACKUP_PASSPHRASE_FILE",
        conflicts_with = "identity_file"
    )]
    passphrase_file: Option<PathBuf>,
    /// age identity file (AGE-SECRET-KEY-…) matching the public key the backup was made for.
    #[arg(long, env = "EXIT_FACTORS_BACKUP_IDENTITY_FILE")]
    identity_file: Option<PathBuf>,
}

impl SealKeyArgs {
    /// The key, if one is given.
    fn key(&self) -> Result<Option<SealKey>, Failure> {
        Ok(match (&self.passphrase_file, &self.recipient) {
            (Some(file), _) => Some(SealKey::Passphrase(backup::read_passphrase(file)?)),
            (None, Some(recipient)) => Some(SealKey::recipient(recipient)?),
            (None, None) => None,
        })
    }
}

impl OpenKeyArgs {
    fn key(&self) -> Result<OpenKey, Failure> {
        match (&self.passphrase_file, &self.identity_file) {
            (Some(file), _) => Ok(OpenKey::Passphrase(backup::read_passphrase(file)?)),
            (None, Some(file)) => Ok(OpenKey::identity_file(file)?),
            (None, None) => Err(Failure(
                "give --passphrase-file or --identity-file to open the backup".into(),
            )),
        }
    }
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
    /// Directory for scheduled backups (off when not given; needs a passphrase file or recipient).
    #[arg(long, env = "EXIT_FACTORS_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// How often to back up, e.g. 1d, 12h, 30m.
    #[arg(long, env = "EXIT_FACTORS_BACKUP_EVERY", default_value = "1d", value_parser = humantime::parse_duration)]
    backup_every: std::time::Duration,
    /// How many backups to keep in the backup directory (the newest).
    #[arg(long, env = "EXIT_FACTORS_BACKUP_KEEP", default_value_t = 14, value_parser = clap::value_parser!(u16).range(1..))]
    backup_keep: u16,
    #[command(flatten)]
    backup_key: SealKeyArgs,
    /// Proxies (addresses or CIDR ranges, comma-separated) whose Forwarded / X-Forwarded-For
    /// headers name the client; everyone else's are ignored.
    #[arg(long, env = "EXIT_FACTORS_TRUSTED_PROXY", value_delimiter = ',', value_parser = crate::configuration::parse_trusted_proxy)]
    trusted_proxy: Vec<ipnet::IpNet>,
}

#[derive(Debug, Args)]
struct DataDirArg {
    /// Directory of the data store.
    #[arg(long, env = "EXIT_FACTORS_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// The master key file (default: beside the data directory, DIR.key; the first start makes
    /// it). Keep it apart from the data and its backups.
    #[arg(long, env = "EXIT_FACTORS_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// The most memory, in megabytes, the store's page cache may use.
    #[arg(long, env = "EXIT_FACTORS_CACHE_MB", default_value_t = CacheSize::DEFAULT_MB, value_parser = clap::value_parser!(u64).range(8..=65536))]
    cache_mb: u64,
}

impl DataDirArg {
    /// Compacts the store (`store::compact`); fails, changing nothing, while a server has it open.
    fn compact(&self) -> Result<crate::store::compact::Compacted, Failure> {
        let loaded =
            crate::store::vault::load_master_key(&self.data_dir, self.key_file.as_deref(), false)?;
        let cache = CacheSize::from_mb(self.cache_mb);
        let dir = self.data_dir.clone();
        Ok(actix_web::rt::System::new().block_on(async move {
            crate::store::compact::compact(&dir, loaded.key, cache).await
        })?)
    }

    /// Opens the store (creating its key only if `may_create`), announcing a new key.
    fn open(&self, may_create: bool) -> Result<Store, Failure> {
        let (store, created) = Store::open_with_key_file(
            &self.data_dir,
            self.key_file.as_deref(),
            may_create,
            CacheSize::from_mb(self.cache_mb),
        )?;
        if let Some(path) = created {
            println!("{}", key_notice(&path));
        }
        Ok(store)
    }
}

/// Where a new master key is and how to keep it: said loudly, on stdout by a command (stderr
/// is for its error line) and on stderr and in the log by the server (its stdout's first line
/// says where it runs).
fn key_notice(path: &Path) -> String {
    format!(
        "NOTE: a new master key was written to {}.\n  \
         Everything in the data directory is encrypted with it. Keep a copy apart from the data \
         directory and from its backups (a password manager, a sealed envelope in a safe):\n  \
         without it the data cannot be read; whoever has both can read everything.",
        path.display()
    )
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
    /// Remove an account's two-step sign-in (its authenticator app and recovery codes) and end its
    /// sessions: for the last administrator who lost both. Audited.
    ResetTwoStep {
        /// The account's sign-in name.
        #[arg(long)]
        username: String,
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
    crate::memory::return_large_blocks();
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
        }) => add_user(&username, role, &data),
        Command::User(UserCommand::ResetTwoStep { username, data }) => {
            reset_two_step(&username, &data)
        }
        Command::Demo { cases, seed, data } => demo(cases, seed, &data),
        Command::Instrument(InstrumentCommand::Export {
            format: ExportFormat::Json,
        }) => export_instrument(),
        Command::Backup(BackupCli {
            command: Some(BackupCommand::Verify { file, key }),
            ..
        }) => verify_backup(&file, &key),
        Command::Backup(BackupCli {
            command: None,
            data,
            out,
            key,
        }) => make_backup(&data, out, &key),
        Command::Compact { data } => compact(&data),
        Command::Restore {
            file,
            data_dir,
            key_file,
            erasure_register,
            key,
        } => restore_backup(
            &file,
            &key,
            &data_dir,
            key_file.as_deref(),
            erasure_register,
        ),
        Command::Key(KeyCommand::Init { key_file }) => init_key(&key_file),
        Command::Key(KeyCommand::Rotate { data }) => rotate_key(&data),
        Command::Audit(AuditCommand::Verify {
            file: Some(file), ..
        }) => verify_audit_file(&file),
        Command::Audit(AuditCommand::Verify { file: None, data }) => verify_audit(&data),
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
    settings.key_file = args.data.key_file;
    settings.cache = CacheSize::from_mb(args.data.cache_mb);
    settings.secure_cookies = args.secure_cookies;
    settings.trusted_proxies = args.trusted_proxy;
    settings.backup = match (args.backup_dir, args.backup_key.key()?) {
        (Some(dir), Some(key)) => Some(BackupConfig {
            dir,
            every: args.backup_every,
            keep: usize::from(args.backup_keep),
            key,
        }),
        (Some(_), None) => {
            return Err(Failure(
                "--backup-dir needs --passphrase-file or --recipient: backups are always encrypted"
                    .into(),
            ));
        }
        (None, _) => None,
    };
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await?;
        if let Some(path) = app.created_key() {
            eprintln!("{}", key_notice(path));
            tracing::warn!(key_file = %path.display(), "a new master key was created");
        }
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

fn reset_two_step(username: &str, data: &DataDirArg) -> Result<(), Failure> {
    let username = Username::parse(username)?;
    let store = data.open(false)?;
    let user = store
        .user_by_username(&username)?
        .ok_or_else(|| Failure(format!("no account is called {username}")))?;
    if user.two_step.is_none() {
        println!("{username} has no two-step sign-in: nothing to reset");
        return Ok(());
    }
    actix_web::rt::System::new().block_on(async move {
        let now = time::OffsetDateTime::now_utc();
        let event = AuditEvent::new(now, None, AuditAction::TwoStepReset, Outcome::Success)
            .on(format!("{} (command line)", user.id));
        store.reset_two_step(user.id, event).await?;
        println!(
            "reset two-step sign-in of {username}; its sessions ended. It sets up a new app at its next sign-in if the policy requires one."
        );
        Ok(())
    })
}

fn add_user(username: &str, role: Role, data: &DataDirArg) -> Result<(), Failure> {
    let username = Username::parse(username)?;
    // Open the store first: a locked data dir should be reported before asking for a password.
    let store = data.open(true)?;
    let password = Password::new_for(read_password()?, username.as_str())
        .map_err(|e| Failure(format!("password: {e}")))?;
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

fn demo(cases: usize, seed: u64, data: &DataDirArg) -> Result<(), Failure> {
    let instrument = Instrument::bundled()?;
    let store = data.open(true)?;
    let data_dir = data.data_dir.clone();
    actix_web::rt::System::new().block_on(async move {
        let now = time::OffsetDateTime::now_utc();
        let demo = crate::demo::fill(&store, &instrument, cases, seed, now).await?;
        println!(
            "Demo data: {cases} cases, {} assessments in {}",
            demo.assessments,
            data_dir.display()
        );
        println!("Accounts (the passwords are shown only now):");
        for (name, role, password) in &demo.accounts {
            println!("  {:<10} {name:<16} {password}", role.as_str());
        }
        store.close(std::time::Duration::from_secs(60));
        Ok::<_, Failure>(())
    })?;
    // Like any bulk load, it ends with a compaction: the store was written one case at a time.
    compact(data)
}

/// Compacts the store and says by how much.
fn compact(data: &DataDirArg) -> Result<(), Failure> {
    let compacted = data.compact()?;
    println!(
        "compacted {}: {} records, {} MB before, {} MB after",
        data.data_dir.display(),
        compacted.records,
        compacted.bytes_before / 1_000_000,
        compacted.bytes_after / 1_000_000
    );
    Ok(())
}

fn make_backup(data: &DataDirArg, out: Option<PathBuf>, key: &SealKeyArgs) -> Result<(), Failure> {
    let out = out.ok_or_else(|| Failure("give --out FILE for the backup".into()))?;
    let key = key.key()?.ok_or_else(|| {
        Failure("give --passphrase-file or --recipient: backups are always encrypted".into())
    })?;
    if out.exists() {
        return Err(Failure(format!("{} exists already", out.display())));
    }
    // Opening fails while a server runs on the directory: then use its Backups page.
    let store = data.open(false)?;
    actix_web::rt::System::new().block_on(async move {
        let made = backup::create(&store, &out, key).await?;
        println!(
            "backup written: {} ({} records, {} bytes)",
            made.path.display(),
            made.header.records(),
            made.bytes
        );
        Ok(())
    })
}

/// Prints what a backup holds, tree by tree.
fn print_manifest(header: &backup::Header) {
    println!(
        "backup of {} (schema {}): {} records",
        header.created_at,
        header.schema,
        header.records()
    );
    for tree in &header.trees {
        println!("  {:<18} {:>9}", tree.name, tree.records);
    }
}

fn verify_backup(file: &Path, key: &OpenKeyArgs) -> Result<(), Failure> {
    let header = backup::verify(file, &key.key()?)?;
    print_manifest(&header);
    println!("every record matches its checksum: the backup is complete and intact");
    Ok(())
}

fn restore_backup(
    file: &Path,
    key: &OpenKeyArgs,
    data_dir: &Path,
    key_file: Option<&Path>,
    erasure_register: Option<PathBuf>,
) -> Result<(), Failure> {
    let open_key = key.key()?;
    // The register is read (and checked) before anything is written.
    let register = erasure_register.or_else(|| {
        let beside = backup::register::beside(file);
        beside.exists().then_some(beside)
    });
    let erasures = match &register {
        Some(path) => Some(backup::register::read(path, &open_key)?),
        None => None,
    };
    let loaded = crate::store::vault::load_master_key(data_dir, key_file, true)?;
    let header = match backup::restore(file, &open_key, data_dir, &loaded.key) {
        Ok(header) => header,
        Err(e) => {
            if loaded.created {
                let _ = std::fs::remove_file(&loaded.path);
            }
            return Err(e.into());
        }
    };
    if loaded.created {
        println!("{}", key_notice(&loaded.path));
    }
    print_manifest(&header);
    match (&register, &erasures) {
        (Some(path), Some(erasures)) => {
            let store = Store::open(data_dir, &loaded.key)?;
            let again = actix_web::rt::System::new()
                .block_on(backup::register::reapply(&store, erasures))?;
            println!(
                "erasure register {}: {} erasures listed, {again} of them erased again (the backup predates them)",
                path.display(),
                erasures.len()
            );
        }
        _ => println!(
            "no erasure register beside the backup: cases erased after it was made are in the restored store (give --erasure-register FILE)"
        ),
    }
    println!(
        "restored into {}; start the server with --data-dir {} (everyone signs in again)",
        data_dir.display(),
        data_dir.display()
    );
    Ok(())
}

fn init_key(key_file: &Path) -> Result<(), Failure> {
    crate::store::vault::MasterKey::generate().write_new(key_file)?;
    println!(
        "master key written to {} (readable by its owner only); start the server with --key-file {}",
        key_file.display(),
        key_file.display()
    );
    Ok(())
}

fn rotate_key(data: &DataDirArg) -> Result<(), Failure> {
    let store = data.open(false)?;
    let key_file = data
        .key_file
        .clone()
        .unwrap_or_else(|| crate::store::vault::default_key_file(&data.data_dir));
    store.rotate_master_key(&key_file)?;
    actix_web::rt::System::new().block_on(async {
        let event = AuditEvent::new(
            time::OffsetDateTime::now_utc(),
            None,
            AuditAction::KeyRotated,
            Outcome::Success,
        )
        .on("command line");
        store.append_audit(&event).await
    })?;
    println!(
        "the master key in {} was replaced and every data key re-wrapped with it; copies of the old key no longer open this data directory",
        key_file.display()
    );
    Ok(())
}

fn verify_audit(data: &DataDirArg) -> Result<(), Failure> {
    let store = data.open(false)?;
    report_audit_check(&store.verify_audit()?)
}

fn verify_audit_file(file: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    report_audit_check(&crate::domain::audit::export::verify_lines(&text)?)
}

fn report_audit_check(check: &crate::domain::audit::chain::AuditCheck) -> Result<(), Failure> {
    match &check.broken {
        None => {
            println!(
                "the audit log is intact: {} entries checked; the newest entry's hash is {}",
                check.checked, check.head
            );
            Ok(())
        }
        Some(broken) => Err(Failure(format!(
            "{broken} ({} entries before it checked)",
            check.checked
        ))),
    }
}

fn export_instrument() -> Result<(), Failure> {
    let instrument = Instrument::bundled()?;
    println!("{}", instrument.to_json()?);
    Ok(())
}
