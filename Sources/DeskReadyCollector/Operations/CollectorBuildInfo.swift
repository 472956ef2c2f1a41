internal import CDeskReadySupport

/// The version and commit the collector was built from: `deskready --version` and `deskready_build_info`.
/// Both come from `build_info.c` (the agent reads the same through `DeskReadyAgent.BuildInfo`).
public enum CollectorBuildInfo {
    public static let version = String(cString: dr_build_version())
    public static let commit = String(cString: dr_build_commit())
}
