/// The shape of a user pseudonym: the first 128 bits of a keyed HMAC-SHA256 of the user name, as 32 lower-case hex
/// digits. The agent and the Windows importer make them; the collector refuses any `user` of another shape, so no raw
/// user name can be stored whatever sends it.
public enum Pseudonym {
    public static let length = 32

    /// Whether `text` has the pseudonym shape.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// Text that may be stored: no control characters (NUL, line breaks, escapes), which would corrupt logs, CSV cells and
/// terminals, and which PostgreSQL refuses (NUL).
public enum StorableText {
    public static func isClean(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.generalCategory != .control }
    }
}
