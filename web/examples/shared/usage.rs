//! What a benchmark example says to `--help` and to an option it does not know.

/// Prints `usage` and ends the process: on standard output with success for `--help` or `-h`,
/// on standard error after naming the unknown option otherwise.
pub fn help_or_unknown(option: &str, usage: &str) -> ! {
    if option == "--help" || option == "-h" {
        println!("{usage}");
        std::process::exit(0);
    }
    eprintln!("unknown option {option}\n{usage}");
    std::process::exit(2);
}
