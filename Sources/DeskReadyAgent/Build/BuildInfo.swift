internal import CDeskReadySupport

/// The version and commit this agent was built from (`--version`, the `agent_version` of every batch).
/// Both come from `build_info.c`: a constant release by default, the tag's or commit's when
/// `scripts/package-deb.sh` builds the packages, so a plain `swift build` needs no step first.
public enum BuildInfo {
    /// The release, for example `1.2.0` or `0.9.0-dev`.
    public static let version = String(cString: dr_build_version())
    /// The git commit, or `unknown` when built without the packaging script.
    public static let commit = String(cString: dr_build_commit())
    /// What travels in batches and is shown per device: `VERSION (COMMIT)`, at most 64 characters.
    public static var agentVersion: String { String("\(version) (\(commit.prefix(12)))".prefix(64)) }
    /// The `--version` line.
    public static func line(program: String) -> String { "\(program) \(version) (commit \(commit))" }
}
