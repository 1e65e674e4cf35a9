//! `heard user`: accounts for the review team's workspace. Passwords are asked on the terminal
//! without echo (or read from standard input with `--password-stdin`, for scripts) and stored
//! only as argon2id hashes.
use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use engine::accounts::{self, Role};

#[derive(Debug, Args)]
pub struct UserArgs {
    /// The SQLite database file.
    #[arg(long, env = "HEARD_DB", default_value = "heard.db", global = true)]
    pub db: PathBuf,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Add a member of the review team.
    Add {
        name: String,
        /// admin, analyst, safeguarding or commissioner.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the review team's accounts.
    List,
    /// Disable an account and end its sessions.
    Disable { name: String },
}

pub fn run(args: UserArgs) -> anyhow::Result<()> {
    let store = engine::Store::open(&args.db)
        .with_context(|| format!("opening the database {}", args.db.display()))?;
    let result = match args.action {
        UserAction::Add {
            name,
            role,
            password_stdin,
        } => add(&store, &name, &role, password_stdin),
        UserAction::List => {
            let users = store.users()?;
            if users.is_empty() {
                println!("No users yet. Add one with: heard user add NAME --role admin");
            }
            for u in users {
                println!(
                    "{}\t{}{}",
                    u.name,
                    u.role.as_str(),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
            Ok(())
        }
        UserAction::Disable { name } => {
            let runtime = tokio::runtime::Builder::new_current_thread().build()?;
            if !runtime.block_on(store.disable_user(&name, "command line"))? {
                bail!("there is no user called {name}; see `heard user list`");
            }
            println!("Disabled {name} and ended their sessions.");
            Ok(())
        }
    };
    store.close();
    result
}

fn add(store: &engine::Store, name: &str, role: &str, password_stdin: bool) -> anyhow::Result<()> {
    accounts::check_name(name)?;
    let Some(role) = Role::parse(role) else {
        bail!("unknown role {role:?}: use admin, analyst, safeguarding or commissioner");
    };
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else {
        let first = rpassword::prompt_password(format!("Password for {name}: "))
            .context("reading the password from the terminal (use --password-stdin in scripts)")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            bail!("the two passwords were different; nothing was changed");
        }
        first
    };
    let hash = accounts::hash_password(&password)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let user = runtime.block_on(store.add_user(name, role, hash, "command line"))?;
    println!("Added {} ({}).", user.name, role.title());
    Ok(())
}
