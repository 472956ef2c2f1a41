import DeskReadyModel
import Foundation

/// What the web front keeps: who may sign in to see which trusts (users by e-mail or subject, and provider groups,
/// mapped to a role and a trust), and the server-side sessions of signed-in browsers (by the hash of their id only).
/// Implemented beside the measurements by each store, so several collectors on one database share sessions.
public protocol WebAccessStore: Sendable {
    /// Adds a mapping; refuses an unknown trust, a reader without a trust, and an exact duplicate.
    func addWebAccessRule(_ rule: NewWebAccessRule) async throws -> WebAccessRule
    func webAccessRules() async throws -> [WebAccessRule]
    /// Removes a mapping; false when there was none with that id.
    func removeWebAccessRule(id: Int64) async throws -> Bool

    func createWebSession(_ session: WebSessionRecord) async throws
    /// The session whose id hashes to `idHash`, if any (expired ones too: the caller decides).
    func webSession(idHash: Data) async throws -> WebSessionRecord?
    /// Notes a use of the session (idle expiry counts from it).
    func touchWebSession(idHash: Data, lastSeenMs: Int64) async throws
    func deleteWebSession(idHash: Data) async throws
    /// Deletes the sessions idle since `idleBeforeMs` or started before `startedBeforeMs`; returns how many.
    func deleteExpiredWebSessions(idleBeforeMs: Int64, startedBeforeMs: Int64) async throws -> Int
}

/// How a mapping recognises a signed-in person.
public enum WebAccessMatch: String, Sendable, Codable, CaseIterable {
    /// The user claim (by default `email`), compared without regard to case.
    case email
    /// The provider's `sub` claim, exactly.
    case subject
    /// A value of the groups claim (Entra ID: the group's object id), exactly.
    case group
}

/// The role a mapping grants: a reader of one trust, or an admin of every trust.
public enum WebAccessRole: String, Sendable, Codable, CaseIterable {
    case reader, admin
}

/// A mapping to add (`deskready user add`).
public struct NewWebAccessRule: Sendable, Equatable {
    public var match: WebAccessMatch
    public var value: String
    public var role: WebAccessRole
    /// The trust a reader may read (nil for admin).
    public var trust: String?
    public var createdMs: Int64

    public init(match: WebAccessMatch, value: String, role: WebAccessRole, trust: String?, createdMs: Int64) {
        self.match = match
        self.value = value
        self.role = role
        self.trust = trust
        self.createdMs = createdMs
    }
}

/// A stored mapping from a person or a group to a role and a trust.
public struct WebAccessRule: Sendable, Equatable, Codable {
    public var id: Int64
    public var match: WebAccessMatch
    public var value: String
    public var role: WebAccessRole
    public var trust: String?
    public var createdMs: Int64

    public init(id: Int64, match: WebAccessMatch, value: String, role: WebAccessRole, trust: String?, createdMs: Int64) {
        self.id = id
        self.match = match
        self.value = value
        self.role = role
        self.trust = trust
        self.createdMs = createdMs
    }

    /// Whether it applies to a person with this user claim, subject and groups.
    public func matches(user: String, subject: String, groups: [String]) -> Bool {
        switch match {
        case .email: value.lowercased() == user.lowercased()
        case .subject: value == subject
        case .group: groups.contains(value)
        }
    }
}

/// A signed-in browser's session, as stored: never the session id, only its SHA-256.
public struct WebSessionRecord: Sendable, Equatable {
    /// How the person signed in.
    public enum Kind: String, Sendable {
        case oidc, token
    }

    public var idHash: Data
    public var kind: Kind
    /// The user claim's value (OIDC), or the token's audit name (token sign-in).
    public var user: String
    /// The provider's `sub` (OIDC), or "" for a token.
    public var subject: String
    /// The provider groups at sign-in (OIDC).
    public var groups: [String]
    /// The reader or admin token the session was opened with (token sign-in).
    public var credentialId: Int64?
    /// The session's CSRF token, sent back in every state-changing form.
    public var csrfToken: String
    public var createdMs: Int64
    public var lastSeenMs: Int64

    public init(idHash: Data, kind: Kind, user: String, subject: String, groups: [String], credentialId: Int64?, csrfToken: String,
                createdMs: Int64, lastSeenMs: Int64) {
        self.idHash = idHash
        self.kind = kind
        self.user = user
        self.subject = subject
        self.groups = groups
        self.credentialId = credentialId
        self.csrfToken = csrfToken
        self.createdMs = createdMs
        self.lastSeenMs = lastSeenMs
    }
}

/// The checks every store makes on a new mapping before it is written.
public enum WebAccessRuleCheck {
    public static func validate(_ rule: NewWebAccessRule) throws {
        let value = rule.value.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.utf8.count <= 256, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw StoreError("the \(rule.match.rawValue) must be 1 to 256 printable characters")
        }
        switch rule.role {
        case .reader:
            guard let trust = rule.trust else { throw StoreError("a reader needs a trust: add --trust ODS (admins see every trust)") }
            guard ODSCode.isValidTrust(trust) else { throw IdentityError.invalidODS(trust) }
        case .admin:
            guard rule.trust == nil else { throw StoreError("an admin sees every trust; leave out --trust") }
        }
    }
}
