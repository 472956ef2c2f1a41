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
    /// Whether `text` holds no control character (Unicode category Cc: U+0000–U+001F and U+007F–U+009F).
    ///
    /// Scans the UTF-8 bytes instead of asking each scalar for its general category, which cost a table lookup per
    /// character and was a tenth of a collector's CPU at ingest (perf, 200,000 events). Cc is exactly those 65 code
    /// points and never changes between Unicode versions: one byte below 0x20 or 0x7F, or 0xC2 followed by 0x80–0x9F.
    public static func isClean(_ text: String) -> Bool {
        var afterC2 = false
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte <= 0x9F) { return false }
            afterC2 = byte == 0xC2
        }
        return true
    }
}
