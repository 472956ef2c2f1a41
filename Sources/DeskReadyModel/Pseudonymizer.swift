/// Replaces a user name with a keyed HMAC-SHA256 pseudonym, so the name never leaves the workstation. The same
/// user gives the same pseudonym within a trust (same key), and nothing without the key can reverse it.
public struct Pseudonymizer: Sendable {
    private let key: [UInt8]

    public init(key: String) {
        self.key = Array(key.utf8)
    }

    /// 32 hex characters (128 bits of the HMAC): ample against collisions within a trust, short on the wire.
    public func pseudonym(for user: String) -> String {
        let mac = HMACSHA256.code(key: key, message: Array(user.utf8))
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for byte in mac.prefix(16) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
