import DeskReadyModel

/// Trusts, devices and tokens: who may write and read what. Implemented beside the measurements by each store.
public protocol IdentityStore: Sendable {
    func addTrust(ods: String, name: String) async throws -> TrustRecord
    func trusts() async throws -> [TrustRecord]

    /// Issues a token for a role (bound to `trust` unless admin); the token is returned once and stored hashed.
    func issueToken(role: CredentialRole, trust: String?, label: String, expiresMs: Int64?) async throws -> IssuedToken
    /// The active credential a token stands for, or nil (unknown, revoked or expired). Records the use, to the minute.
    func authenticate(token: String, nowMs: Int64) async throws -> Credential?
    func credentials() async throws -> [Credential]
    func revokeToken(id: Int64) async throws
    /// Issues a replacement for an active token (same role, trust, device and label; the same lifetime from now) and
    /// revokes the old one.
    func rotateToken(id: Int64, nowMs: Int64) async throws -> IssuedToken

    /// Registers (or re-registers) a device in the enrolment credential's trust and issues its device token; an
    /// earlier token of the same device is revoked. `installKey` is a secret the agent made once on its machine:
    /// a device id already enrolled with another install key is refused (`IdentityError.deviceClaimed`), and a
    /// revoked device is refused (`IdentityError.deviceRevoked`) until `restoreDevice`.
    func enrolDevice(trust: String, deviceId: String, site: String, installKey: String?, nowMs: Int64) async throws -> IssuedToken
    func devices(trust: String?) async throws -> [DeviceRecord]
    /// Revokes every token of a device, and keeps it from enrolling again until restored.
    func revokeDevice(trust: String, deviceId: String) async throws
    /// Lifts a device's revocation, so it may enrol again (its old tokens stay revoked).
    func restoreDevice(trust: String, deviceId: String) async throws
}
