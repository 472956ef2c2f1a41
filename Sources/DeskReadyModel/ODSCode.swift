/// Organisation Data Service codes: NHS trusts (for example `RXX`) and their sites (`RXX01`).
public enum ODSCode {
    /// A trust's code: 3 to 5 upper-case letters or digits.
    public static func isValidTrust(_ code: String) -> Bool {
        (3...5).contains(code.utf8.count) && code.utf8.allSatisfy(isUpperAlphanumeric)
    }

    /// A site's code: 3 to 10 upper-case letters or digits, beginning with its trust's code.
    public static func isValidSite(_ code: String, trust: String) -> Bool {
        (3...10).contains(code.utf8.count) && code.utf8.allSatisfy(isUpperAlphanumeric) && code.hasPrefix(trust)
    }

    static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
    }
}
