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

    /// Prefix of the token text, so a token found in a log says what it is.
    var tokenPrefix: String {
        switch self {
        case .admin: "dra_"
        case .enrolment: "dre_"
        case .device: "drd_"
        case .reader: "drr_"
        }
    }
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

    public var description: String {
        switch self {
        case .unknownTrust(let ods): "trust \(ods) is not set up on this collector; add it with `deskready trust add \(ods) --name NAME`"
        case .trustExists(let ods): "trust \(ods) is already set up"
        case .invalidODS(let ods): "'\(ods)' is not a trust ODS code (3 to 5 upper-case letters or digits, for example RXX)"
        case .unknownCredential(let id): "no token with id \(id); list them with `deskready token list`"
        case .unknownDevice(let trust, let device): "no device \(device) in trust \(trust); list them with `deskready device list --trust \(trust)`"
        }
    }
}
