/// The Windows events the assembler uses, by channel and provider, keyed by provider and event id (never the id
/// alone: System 7001 is both Winlogon's logon notification and a Service Control Manager error).
/// `agent-config/windows/deskready-subscription.xml` selects exactly this set (a test checks it).
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

    /// One channel's share of the set: the provider (lower case) and its event ids.
    public struct Selection: Sendable {
        public var channel: String
        public var provider: String
        public var ids: Set<Int>
    }

    /// What to collect, channel by channel.
    public static let selections: [Selection] = [
        Selection(channel: "Microsoft-Windows-Diagnostics-Performance/Operational", provider: diagnosticsPerformance, ids: [100]),
        Selection(channel: "Microsoft-Windows-Winlogon/Operational", provider: winlogon, ids: [1, 2, 811, 812]),
        Selection(channel: "Microsoft-Windows-User Profile Service/Operational", provider: userProfiles, ids: [1, 2, 67]),
        Selection(channel: "Microsoft-Windows-GroupPolicy/Operational", provider: groupPolicy,
                  ids: [4001, 5016, 5018, 5324, 6001, 6016, 7001, 7016, 7018, 8001]),
        Selection(channel: "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", provider: localSessionManager, ids: [21, 22]),
        Selection(channel: "Microsoft-Windows-Shell-Core/Operational", provider: shellCore, ids: Set([62170, 62171]).union(62400...62499)),
        Selection(channel: "System", provider: kernelGeneral, ids: [1, 12]),
        Selection(channel: "System", provider: kernelBoot, ids: [27]),
        Selection(channel: "System", provider: winlogon, ids: [7001]),
        Selection(channel: "Security", provider: securityAuditing, ids: [4624]),
    ]

    /// Event ids used, per provider (lower case).
    public static let used: [String: Set<Int>] = Dictionary(selections.map { ($0.provider, $0.ids) }, uniquingKeysWith: { $0.union($1) })

    /// Whether the assembler uses events of this provider and id.
    @Sendable public static func isUsed(_ provider: String, _ eventID: Int) -> Bool {
        used[provider.lowercased()]?.contains(eventID) ?? false
    }
}
