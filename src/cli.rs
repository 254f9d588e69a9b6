//! The command line: `medsite build` (and, as they arrive, `serve`, `check`,
//! `new`, `init`, `feedback`).

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
    },
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
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
                    0
                }
                Err(diags) => {
                    eprint!("{diags}");
                    let errors = diags.errors().count();
                    let warnings = diags.warnings().count();
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
