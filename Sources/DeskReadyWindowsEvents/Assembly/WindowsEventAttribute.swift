/// Attribute names of the boots and logons assembled from Windows events (besides `LogonAttribute`'s).
public enum WindowsEventAttribute {
    /// Always `windows-events`: the event was assembled from Windows event logs.
    public static let source = "source"
    /// The event that marked the logon's start: `winlogon-1`, or a fallback (`security-4624`, `system-7001`,
    /// `user-profile-service-1`, `winlogon-811-profiles`).
    public static let startSource = "start_source"
    public static let authenticationSource = "authentication_source"
    public static let profileSource = "profile_source"
    public static let groupPolicySource = "group_policy_source"
    public static let shellStartSource = "shell_start_source"
    public static let desktopReadySource = "desktop_ready_source"
    /// `local`, `roaming`, `mandatory`, `temporary` or the profile type as User Profile Service 67 wrote it.
    public static let profileType = "profile_type"
    /// `sync` (the logon waited for user policy) or `async` (it ran in the background).
    public static let groupPolicyMode = "group_policy_mode"
    /// Why user policy ran synchronously (`ReasonForSyncProcessing`).
    public static let groupPolicySyncReason = "group_policy_sync_reason"
    /// Milliseconds of asynchronous user policy after the logon (not on the logon's path).
    public static let groupPolicyBackgroundMs = "group_policy_background_ms"
    /// The slowest client-side extensions of the logon's policy run, `name=ms` separated by `; `.
    public static let groupPolicySlowestExtensions = "group_policy_slowest_cses"
    /// Seconds spent in logon scripts (GroupPolicy 5018/7018, script type 1).
    public static let groupPolicyLogonScriptsSeconds = "group_policy_logon_scripts_s"
    /// `true` when a logon script failed (GroupPolicy 7018).
    public static let groupPolicyLogonScriptFailed = "group_policy_logon_script_failed"
    /// The session id.
    public static let session = "session"
    /// `true` for the first logon after a boot that Diagnostics-Performance 100 describes.
    public static let bootLogon = "boot_logon"
    /// `corrected` when a recorded clock step inside the logon was taken out, `suspected` when a span was negative.
    public static let clockStep = "clock_step"
    /// For an incomplete logon: the last boundary seen (`authentication`, `profile_load`, `group_policy`,
    /// `shell_start`) and, when explorer ran its logon tasks without finishing them, `explorer_started_ms`.
    public static let lastSeen = "last_seen"
    public static let explorerStartedMs = "explorer_started_ms"
    /// For a failed attempt: Winlogon 2's `Win32Status`.
    public static let win32Status = "win32_status"
    /// For a boot: `diagnostics-performance-100` or `kernel-general-12`.
    public static let bootSource = "boot_source"
    /// `unavailable` for a boot without event 100: its phases and duration are unknown, not zero.
    public static let bootTiming = "boot_timing"
    /// `cold`, `fast_startup` or `hibernate_resume` (Kernel-Boot 27).
    public static let bootType = "boot_type"
    /// `ok`, or which of event 100's identities failed by more than 5 ms (`total`, `main_path`).
    public static let identityCheck = "identity_check"
    /// Milliseconds at the sign-in screen during the boot (excluded from the boot's duration).
    public static let userLogonWaitMs = "user_logon_wait_ms"
    /// Degradation flag of event 100.
    public static let degradation = "degradation"
    /// The computer name as the events have it.
    public static let computer = "computer"
}

/// Phase names of a boot assembled from Diagnostics-Performance 100 (milliseconds, as the event gives them).
/// `main_path` + `post_boot` = the boot's duration; `winlogon_init`, `logon_init`, `machine_profile`,
/// `user_profile` and `explorer_init` add up to `main_path`.
public enum WindowsBootPhase: String, CaseIterable, Sendable {
    case mainPath = "main_path"
    case postBoot = "post_boot"
    /// `WinLogonStartTimeMS`: kernel, drivers, session manager and services until Winlogon starts.
    case winlogonInit = "winlogon_init"
    /// `OtherLogonInitActivityDuration`: Winlogon start to credential submission (less the sign-in screen wait).
    case logonInit = "logon_init"
    case machineProfile = "machine_profile"
    case userProfile = "user_profile"
    case explorerInit = "explorer_init"
}
