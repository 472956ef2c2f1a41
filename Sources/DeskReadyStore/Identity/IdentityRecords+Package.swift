import DeskReadyModel

// The identity records' memberwise initialisers (internal) and the token prefix, for stores in other modules (the
// PostgreSQL store), as `make` functions: a `package init` with the same labels would clash with the synthesized one.
// Kept in their own file so the records themselves stay as they are.

extension CredentialRole {
    /// Prefix of a new token of this role.
    package var newTokenPrefix: String { tokenPrefix }
}

extension IssuedToken {
    package static func make(credential: Credential, token: String) -> Self {
        Self(credential: credential, token: token)
    }
}

extension DeviceRecord {
    package static func make(trust: String, deviceId: String, site: String, enrolledMs: Int64?, lastSeenMs: Int64?, revoked: Bool) -> Self {
        Self(trust: trust, deviceId: deviceId, site: site, enrolledMs: enrolledMs, lastSeenMs: lastSeenMs, revoked: revoked)
    }
}

extension TrustRecord {
    package static func make(ods: String, name: String) -> Self {
        Self(ods: ods, name: name)
    }
}

extension StoreCounts {
    package static func make(events: Int, batches: Int, devices: Int, newestEventMs: Int64?) -> Self {
        Self(events: events, batches: batches, devices: devices, newestEventMs: newestEventMs)
    }
}
