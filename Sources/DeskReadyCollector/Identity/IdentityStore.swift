import DeskReadyModel

/// Trusts, devices and tokens: who may write and read what. Implemented beside the measurements by each store.
public protocol IdentityStore: Sendable {
    func addTrust(ods: String, name: String) async throws -> TrustRecord
    func trusts() async throws -> [TrustRecord]

    /// Issues a token for a role (bound to `trust` unless admin); the token is returned once and stored hashed.
    func issueToken(role: CredentialRole, trust: String?, label: String, expiresMs: Int64?) async throws -> IssuedToken
    /// The active credential a token stands for, or nil (unknown, revoked or expired).
    func authenticate(token: String, nowMs: Int64) async throws -> Credential?
    func credentials() async throws -> [Credential]
    func revokeToken(id: Int64) async throws

    /// Registers (or re-registers) a device in the enrolment credential's trust and issues its device token; an
    /// earlier token of the same device is revoked.
    func enrolDevice(trust: String, deviceId: String, site: String, nowMs: Int64) async throws -> IssuedToken
    func devices(trust: String?) async throws -> [DeviceRecord]
    /// Revokes every token of a device.
    func revokeDevice(trust: String, deviceId: String) async throws
}

/// Everything the collector needs from storage: measurements, identity and saved baselines, behind one seam.
public protocol CollectorStore: MeasurementStore, IdentityStore, BaselineStore {}
