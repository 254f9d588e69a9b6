//! The command line: `medsite build`, `serve`, `check`, `new`, `init` and
//! `feedback`: parsing the arguments, calling the library, printing, and the
//! exit code. Not for any step of the build itself.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "medsite",
    version,
    about = "Build a website of patient information about medications"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into site/ (or --output).
    Build {
        /// The site folder, with site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (replaced as a whole on success).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The address the site will be published at, e.g. https://example.org/medicines/
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each step of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Live preview: build, serve on 127.0.0.1, rebuild and reload on every change.
    Serve {
        /// The site folder, with site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Everything build validates, plus the health-content checks.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Also check external links (concurrently, with a cache file).
        #[arg(long)]
        external: bool,
        /// Broken external links are errors, not warnings.
        #[arg(long)]
        strict: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new page from the standard template.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The page's title, e.g. "Methotrexate".
        title: String,
        /// The folder inside content/ (default: the medication section, or the top for articles).
        #[arg(long)]
        section: Option<String>,
        /// Translate the existing page with this title into a language of
        /// the site (e.g. nb): writes <slug>.<lang>.md beside <slug>.md.
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write a new, buildable site folder.
    Init {
        dir: PathBuf,
        /// The site's title.
        #[arg(long)]
        title: Option<String>,
    },
    /// Print the default theme's words in a language (Fluent), to start a
    /// site's own i18n/<lang>.ftl from: `medsite strings en > i18n/so.ftl`.
    Strings {
        /// A language the theme has words for: en, nb or ar.
        lang: String,
    },
    /// Print a JSON Schema (draft 2020-12) of the front matter, for an
    /// editor's YAML language server: `medsite schema medication >
    /// medication.schema.json`.
    Schema {
        /// medication, article or section; without it, all three in one
        /// document.
        kind: Option<String>,
    },
    /// The rating and visit-count service, and reports of what it collected.
    #[command(subcommand)]
    Feedback(FeedbackCommand),
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// Receive ratings and count visits for a built site.
    Serve {
        /// The SQLite database file (created with its tables if missing), or
        /// a PostgreSQL address, `postgres://user@host/db`, that several
        /// instances may share (its tables are made by versioned migrations).
        #[arg(long)]
        db: PathBuf,
        /// The built site; only its pages may be rated or counted.
        #[arg(long, default_value = "site")]
        site: PathBuf,
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8787")]
        bind: std::net::SocketAddr,
        /// The path the service answers under (the site's [feedback] endpoint).
        #[arg(long, default_value = "/api/feedback")]
        prefix: String,
        /// The site's base path, for the redirect after a form post.
        #[arg(long, default_value = "/")]
        base_path: String,
        /// An origin allowed to call the service from another host (repeatable),
        /// e.g. https://medicines.example.org
        #[arg(long = "allow-origin")]
        allow_origin: Vec<String>,
        /// Requests per minute allowed from one address; 0 turns the limit off.
        #[arg(long, default_value_t = 120)]
        rate_limit: u32,
        /// Take the client address from X-Forwarded-For (only behind a reverse proxy).
        #[arg(long)]
        trust_proxy: bool,
    },
    /// Ratings and visits per page, pages that need work first.
    Report {
        /// The SQLite database file, or the PostgreSQL address the service uses.
        #[arg(long)]
        db: PathBuf,
        /// Only ratings from this day on (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Also write a self-contained HTML report to this file.
        #[arg(long)]
        html: Option<PathBuf>,
        /// The site folder whose site.toml gives the pages' languages
        /// (default: the current folder; without a site.toml the language
        /// is guessed from the first part of each address).
        #[arg(long, value_name = "DIR")]
        site: Option<PathBuf>,
        /// Only the pages in this language (e.g. nb).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum NewKind {
    Medication,
    Article,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Feedback(cmd) => feedback(cmd),
        Command::Schema { kind } => {
            use medsite::schema::{self, Kind};
            let value = match kind.as_deref() {
                None => schema::all(),
                Some(name) => match Kind::parse(name) {
                    Some(k) => schema::schema(k),
                    None => {
                        eprintln!(
                            "error: there is no front matter kind `{name}`\n  = help: use medication, article or section, or nothing for all three"
                        );
                        return 1;
                    }
                },
            };
            match serde_json::to_string_pretty(&value) {
                Ok(text) => {
                    println!("{text}");
                    0
                }
                Err(e) => {
                    eprintln!("error: cannot write the schema: {e}");
                    1
                }
            }
        }
        Command::Strings { lang } => {
            let builtin = medsite::render::strings::BUILTIN_STRINGS;
            match builtin.iter().find(|(code, _)| *code == lang) {
                Some((_, text)) => {
                    print!("{text}");
                    0
                }
                None => {
                    let codes: Vec<&str> = builtin.iter().map(|(c, _)| *c).collect();
                    eprintln!(
                        "error: the default theme has no words in `{lang}`; it has: {}\n  = help: start from English: `medsite strings en > i18n/{lang}.ftl`, then translate each message",
                        codes.join(", ")
                    );
                    1
                }
            }
        }
        Command::Check {
            root,
            format,
            external,
            strict,
            drafts,
        } => check(root, format, external, strict, drafts),
        Command::New {
            kind,
            title,
            section,
            lang,
            root,
        } => {
            let kind = match kind {
                NewKind::Medication => medsite::scaffold::NewKind::Medication,
                NewKind::Article => medsite::scaffold::NewKind::Article,
            };
            if let Some(code) = lang {
                return match medsite::scaffold::new_translation(
                    &root,
                    kind,
                    &title,
                    section.as_deref(),
                    &code,
                ) {
                    Ok(t) => {
                        println!("{}", t.path.display());
                        println!("{}", t.next_step());
                        0
                    }
                    Err(d) => {
                        eprint!("{d}");
                        1
                    }
                };
            }
            let today = jiff::Zoned::now().date();
            match medsite::scaffold::new_page(&root, kind, &title, section.as_deref(), today) {
                Ok(path) => {
                    println!("{}", path.display());
                    0
                }
                Err(d) => {
                    eprint!("{d}");
                    1
                }
            }
        }
        Command::Init { dir, title } => match medsite::scaffold::init(&dir, title.as_deref()) {
            Ok(files) => {
                for f in &files {
                    println!("  {}", f.display());
                }
                println!(
                    "Created a new site in {}. Build it with: medsite build --root {}",
                    dir.display(),
                    dir.display()
                );
                0
            }
            Err(d) => {
                eprint!("{d}");
                1
            }
        },
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => {
            match medsite::serve::serve(medsite::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
            }) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => {
            let opts = medsite::build::BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match medsite::build::build(&opts) {
                Ok(report) => {
                    print!("{}", report.summary());
                    if timings {
                        print!("{}", report.timings_table());
                    }
                    0
                }
                Err(failure) => {
                    eprint!("{failure}");
                    let errors = failure.diagnostics.errors().count();
                    let warnings = failure.warnings;
                    eprintln!(
                        "Build failed: {errors} error{}{}; the previous output was left as it was.",
                        if errors == 1 { "" } else { "s" },
                        if warnings > 0 {
                            format!(
                                ", {warnings} warning{}",
                                if warnings == 1 { "" } else { "s" }
                            )
                        } else {
                            String::new()
                        }
                    );
                    1
                }
            }
        }
    }
}

fn feedback(cmd: FeedbackCommand) -> i32 {
    use medsite::feedback;
    match cmd {
        FeedbackCommand::Serve {
            db,
            site,
            bind,
            prefix,
            base_path,
            allow_origin,
            rate_limit,
            trust_proxy,
        } => {
            let base_path = format!("/{}/", base_path.trim_matches('/')).replace("//", "/");
            let opts = feedback::ServeOptions {
                db,
                site,
                bind,
                prefix,
                base_path,
                allow_origins: allow_origin,
                rate_limit,
                trust_proxy,
            };
            match feedback::serve(opts) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
            }
        }
        FeedbackCommand::Report {
            db,
            since,
            format,
            html,
            site,
            lang,
        } => {
            if let Some(d) = &since
                && medsite::content::front_matter::parse_date(d).is_none()
            {
                eprintln!("error: --since `{d}` is not a date; write YYYY-MM-DD");
                return 2;
            }
            let dir = site.clone().unwrap_or_else(|| PathBuf::from("."));
            if site.is_some() && !dir.is_dir() {
                eprintln!(
                    "error: --site {} is not a folder; give the site folder (the one with site.toml)",
                    dir.display()
                );
                return 2;
            }
            let languages = match feedback::report::PageLanguages::load(&dir) {
                Ok(l) => l,
                Err(d) => {
                    eprint!("{d}");
                    return 1;
                }
            };
            if site.is_some() && matches!(languages, feedback::report::PageLanguages::Guess) {
                eprintln!(
                    "note: there is no site.toml in {}; languages are guessed from the first part of each address",
                    dir.display()
                );
            }
            if let Some(code) = &lang
                && let Err(e) = languages.check(code)
            {
                eprintln!("error: {e}");
                return 2;
            }
            let mut report = match feedback::report::read(&db, since.as_deref()) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 1;
                }
            };
            report.set_languages(&languages);
            if let Some(code) = &lang {
                report.keep_language(code);
                if report.pages.is_empty()
                    && matches!(languages, feedback::report::PageLanguages::Guess)
                {
                    eprintln!(
                        "note: no page has `{code}` as the first part of its address; without a site.toml (give --site DIR) the pages of the default language have no language"
                    );
                }
            }
            if let Some(path) = html
                && let Err(e) = std::fs::write(&path, feedback::report::html(&report))
            {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 1;
            }
            match format {
                ReportFormat::Table => print!("{}", feedback::report::table(&report)),
                ReportFormat::Csv => print!("{}", feedback::report::csv(&report)),
                ReportFormat::Json => match serde_json::to_string_pretty(&report) {
                    Ok(j) => println!("{j}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return 1;
                    }
                },
            }
            0
        }
    }
}

fn check(root: PathBuf, format: CheckFormat, external: bool, strict: bool, drafts: bool) -> i32 {
    let opts = medsite::build::BuildOptions {
        root: root.clone(),
        output: None,
        base_url: None,
        drafts,
    };
    let check_opts = medsite::checks::CheckOptions {
        external,
        today: medsite::checks::today(),
        cache_file: Some(root.join(".medsite-link-cache.json")),
    };
    let report = match medsite::build::check(&opts, &check_opts, strict) {
        Ok(r) => r,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "{} errors; fix them before the health-content checks can run.",
                diags.errors().count()
            );
            return 1;
        }
    };
    match format {
        CheckFormat::Human => print!("{}", report.human()),
        CheckFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        },
    }
    if report.has_errors() { 1 } else { 0 }
}
