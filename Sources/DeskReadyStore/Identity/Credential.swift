import DeskReadyModel

/// What a token allows its holder to do.
public enum CredentialRole: String, Sendable, Codable, CaseIterable {
    /// Administers the collector: every trust's reports and devices.
    case admin
    /// Enrols devices into one trust (handed to IT ops for a roll-out).
    case enrolment
    /// One device: writes batches for itself in its own trust only.
    case device
    /// Reads one trust's reports (for the trust's CIO and the maturity toolkit).
    case reader
    /// Imports measurements gathered without an agent (Windows event logs) for any device of one trust.
    case importer
    /// The maturity toolkit's national pull: every trust's graded indicators and the list of trusts, nothing else
    /// (no trust's report page, devices, tokens or raw events).
    case toolkit

    /// Prefix of the token text, so a token found in a log says what it is.
    package var tokenPrefix: String {
        switch self {
        case .admin: "dra_"
        case .enrolment: "dre_"
        case .device: "drd_"
        case .reader: "drr_"
        case .importer: "dri_"
        case .toolkit: "drt_"
        }
    }

    /// Whether a token of this role is bound to one trust (every role but admin and toolkit).
    public var isTrustBound: Bool { self != .admin && self != .toolkit }
}

/// A stored credential: never the token itself, only its hash.
public struct Credential: Sendable, Equatable, Codable {
    public var id: Int64
    public var role: CredentialRole
    /// The trust it is bound to (nil for admin).
    public var trust: String?
    /// The device it belongs to (device tokens only).
    public var deviceId: String?
    public var label: String
    public var createdMs: Int64
    public var expiresMs: Int64?
    public var revokedMs: Int64?
    /// When it was last used to authenticate, to the minute (nil: never).
    public var lastUsedMs: Int64?

    public init(id: Int64, role: CredentialRole, trust: String?, deviceId: String?, label: String, createdMs: Int64,
                expiresMs: Int64?, revokedMs: Int64?, lastUsedMs: Int64? = nil) {
        self.id = id
        self.role = role
        self.trust = trust
        self.deviceId = deviceId
        self.label = label
        self.createdMs = createdMs
        self.expiresMs = expiresMs
        self.revokedMs = revokedMs
        self.lastUsedMs = lastUsedMs
    }

    /// Whether it may read or write trust `ods`'s data: admins every trust, everyone else their own.
    public func mayAccess(trust ods: String) -> Bool {
        role == .admin || trust == ods
    }

    /// Whether it may be used at `nowMs`.
    public func isActive(nowMs: Int64) -> Bool {
        revokedMs == nil && (expiresMs.map { nowMs < $0 } ?? true)
    }
}

/// A newly issued credential and its token, shown once.
public struct IssuedToken: Sendable {
    public var credential: Credential
    public var token: String
}

/// A device as the collector knows it.
public struct DeviceRecord: Sendable, Equatable, Codable {
    public var trust: String
    public var deviceId: String
    public var site: String
    public var enrolledMs: Int64?
    public var lastSeenMs: Int64?
    public var revoked: Bool
    /// The version its agent reported last (`agent_version` in its batches), nil for agents that send none.
    public var agentVersion: String? = nil
}

/// A trust as the collector knows it.
public struct TrustRecord: Sendable, Equatable, Codable {
    public var ods: String
    public var name: String
}

/// A request the identity store refuses, with the reason.
public enum IdentityError: Error, Equatable, CustomStringConvertible {
    case unknownTrust(String)
    case trustExists(String)
    case invalidODS(String)
    case unknownCredential(Int64)
    case unknownDevice(trust: String, deviceId: String)
    /// The device was revoked by an admin; enrolling cannot bring it back.
    case deviceRevoked(trust: String, deviceId: String)
    /// Another machine enrolled this device id first (a cloned image sharing `/etc/machine-id`).
    case deviceClaimed(trust: String, deviceId: String)
    case deviceNotRevoked(trust: String, deviceId: String)
    case inactiveCredential(Int64)

    public var description: String {
        switch self {
        case .unknownTrust(let ods): "trust \(ods) is not set up on this collector; add it with `deskready trust add \(ods) --name NAME`"
        case .trustExists(let ods): "trust \(ods) is already set up"
        case .invalidODS(let ods): "'\(ods)' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX)"
        case .unknownCredential(let id): "no token with id \(id); list them with `deskready token list`"
        case .unknownDevice(let trust, let device): "no device \(device) in trust \(trust); list them with `deskready device list --trust \(trust)`"
        case .deviceRevoked(let trust, let device):
            "device \(device) of trust \(trust) was revoked by the collector's administrator and may not enrol again until they run `deskready device restore --trust \(trust) \(device)`"
        case .deviceClaimed(let trust, let device):
            "device id \(device) of trust \(trust) is already enrolled from another machine (cloned images often share /etc/machine-id): give this machine its own id (`systemd-machine-id-setup` after removing /etc/machine-id, or set device_id in agent.yaml) and enrol again"
        case .deviceNotRevoked(let trust, let device): "device \(device) of trust \(trust) is not revoked; nothing to restore"
        case .inactiveCredential(let id): "token \(id) is revoked or expired; issue a new one with `deskready token create`"
        }
    }
}
