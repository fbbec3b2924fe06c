/**
 * The deny.toml `cargo-sentinel init` writes: every section with its usual
 * settings spelled out and commented examples to uncomment. A test loads it,
 * so it always parses. deny.example.toml at the repository root lists every
 * key; this is the short starting point.
 */
export const initTemplate = `# deny.toml: what cargo-sentinel's policy checks accept in this project.
# Every key of every section is described in deny.example.toml, at the root
# of cargo-sentinel's repository.

# Which dependency graph the checks run on.
[graph]
# Only dependencies that apply to these targets count; empty means all targets.
targets = [
    #"x86_64-unknown-linux-gnu",
    #{ triple = "aarch64-apple-darwin", features = ["neon"] },
]
# Resolve the graph with every feature on (like cargo's --all-features).
all-features = false
# Resolve the graph without default features (like --no-default-features).
no-default-features = false
# Features to turn on when resolving.
#features = []

# How diagnostics are printed.
[output]
# How many levels of feature edges inclusion graphs show.
feature-depth = 1

# Security advisories (RustSec) and yanked versions.
[advisories]
# Where advisory databases are kept.
#db-path = "$CARGO_HOME/advisory-dbs"
# Which advisory databases to use; empty means RustSec's.
#db-urls = ["https://github.com/rustsec/advisory-db"]
# Advisories you have looked at and accept, ideally with a reason and an end date.
ignore = [
    #"RUSTSEC-0000-0000",
    #{ id = "GHSA-xxxx-xxxx-xxxx", reason = "not reachable from our code", expires = "2030-01-01" },
    #{ crate = "a-yanked-crate@0.1.1", reason = "no fixed release yet" },
]
# Which unmaintained crates fail the check: all, workspace (direct deps only), transitive or none.
#unmaintained = "all"
# Which unsound crates fail the check: all, workspace, transitive or none.
#unsound = "workspace"
# Severity of a yanked crate version: allow, warn or deny.
#yanked = "warn"

# Licenses of every crate in the graph.
[licenses]
# The licenses you accept, as SPDX identifiers; every other license is rejected.
allow = [
    #"MIT",
    #"Apache-2.0",
    #"Apache-2.0 WITH LLVM-exception",
]
# How sure the license-text matcher must be (0.0 to 1.0) before it trusts a LICENSE file.
confidence-threshold = 0.8
# Licenses accepted for one crate only.
exceptions = [
    #{ crate = "some-crate", allow = ["Zlib"] },
]

# Give a crate's license yourself when its metadata is missing or wrong.
#[[licenses.clarify]]
#crate = "ring"
#expression = "MIT AND ISC AND OpenSSL"
#license-files = [{ path = "LICENSE", hash = 0xbd0eed23 }]

[licenses.private]
# Skip workspace crates that are not published anywhere.
ignore = false
# Registries that count as private for \`ignore\`.
registries = []

# Which crates may be in the graph at all, and how many versions of each.
[bans]
# Several versions of one crate: allow, warn or deny.
multiple-versions = "warn"
# \`*\` version requirements in workspace manifests: allow, warn or deny.
wildcards = "allow"
# Which path duplicate graphs colour: lowest-version, simplest-path or all.
highlight = "all"
# Default features turned on for workspace crates: allow, warn or deny.
workspace-default-features = "allow"
# Default features turned on for crates from outside the workspace: allow, warn or deny.
external-default-features = "allow"
# When not empty, the only crates allowed.
allow = [
    #"serde",
]
# Workspace members are always allowed.
allow-workspace = false
# Crates that must not be in the graph.
deny = [
    #"openssl-sys",
    #{ crate = "openssl", use-instead = "rustls", reason = "one TLS stack" },
    #{ crate = "git2", wrappers = ["our-git-wrapper"] },
]
# Versions left out of the duplicate check.
skip = [
    #{ crate = "getrandom@0.2.17", reason = "an older crate still needs it" },
]
# Crates whose whole dependency tree is left out of the duplicate check.
skip-tree = [
    #{ crate = "windows-sys", depth = 2, reason = "moves too fast to share one version" },
]

# Where crates may come from.
[sources]
# A registry not allowed below: allow, warn or deny.
unknown-registry = "warn"
# A git repository not allowed below: allow, warn or deny.
unknown-git = "warn"
# Registries crates may come from; crates.io's git and sparse URLs are the same registry.
allow-registry = ["https://github.com/rust-lang/crates.io-index"]
# Git repositories crates may come from.
allow-git = []
# The weakest pin accepted on a git source: any, branch, tag or rev.
#required-git-spec = "rev"

[sources.allow-org]
# GitHub organizations or users whose repositories are allowed.
github = []
# GitLab groups or users whose repositories are allowed.
gitlab = []
# Bitbucket workspaces whose repositories are allowed.
bitbucket = []
`;
