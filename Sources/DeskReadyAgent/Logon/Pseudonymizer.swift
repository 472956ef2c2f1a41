import Crypto
import DeskReadyModel

/// Replaces a user name with a keyed HMAC-SHA256 pseudonym, so the name never leaves the workstation. The same
/// user gives the same pseudonym within a trust (same key), and nothing without the key can reverse it.
public struct Pseudonymizer: Sendable {
    private let key: SymmetricKey

    public init(key: String) {
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    /// 32 hex characters (128 bits of the HMAC): ample against collisions within a trust, short on the wire.
    public func pseudonym(for user: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(user.utf8), using: key)
        return mac.prefix(16).map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }
}
