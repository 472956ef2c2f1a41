/// The Windows events the assembler uses, keyed by provider and event id (never the id alone: System 7001 is both
/// Winlogon's logon notification and a Service Control Manager error). `agent-config/windows/` selects the same set.
public enum EventCatalog {
    public static let diagnosticsPerformance = "microsoft-windows-diagnostics-performance"
    public static let winlogon = "microsoft-windows-winlogon"
    public static let userProfiles = "microsoft-windows-user profiles service"
    public static let groupPolicy = "microsoft-windows-grouppolicy"
    public static let localSessionManager = "microsoft-windows-terminalservices-localsessionmanager"
    public static let shellCore = "microsoft-windows-shell-core"
    public static let kernelGeneral = "microsoft-windows-kernel-general"
    public static let kernelBoot = "microsoft-windows-kernel-boot"
    public static let securityAuditing = "microsoft-windows-security-auditing"

    /// Event ids used, per provider (lower case).
    public static let used: [String: Set<Int>] = [
        diagnosticsPerformance: [100],
        winlogon: [1, 2, 811, 812, 7001],
        userProfiles: [1, 2, 67],
        groupPolicy: [4001, 8001, 6001, 7001, 5016, 6016, 7016, 4018, 5018, 7018, 5324],
        localSessionManager: [21, 22],
        shellCore: Set([62170, 62171]).union(62400...62499),
        kernelGeneral: [1, 12],
        kernelBoot: [27],
        securityAuditing: [4624],
    ]

    /// Whether the assembler uses events of this provider and id.
    @Sendable public static func isUsed(_ provider: String, _ eventID: Int) -> Bool {
        used[provider.lowercased()]?.contains(eventID) ?? false
    }
}
