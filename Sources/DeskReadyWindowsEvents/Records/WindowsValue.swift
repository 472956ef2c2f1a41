/// Tolerant parsing of the values renderers write differently: numbers, booleans, GUIDs and SIDs.
public enum WindowsValue {
    /// A decimal or `0x` hexadecimal integer.
    public static func integer(_ text: String?) -> Int64? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int64(text.dropFirst(2), radix: 16) ?? UInt64(text.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) } }
        return Int64(text)
    }

    /// `true`/`false` in any case, `1`/`0`, or the yes/no insertion strings `%%1842`/`%%1843`.
    public static func boolean(_ text: String?) -> Bool? {
        switch text?.trimmed.lowercased() {
        case "true", "1", "%%1842", "yes": return true
        case "false", "0", "%%1843", "no": return false
        default: return nil
        }
    }

    /// A GUID in lower case without braces; nil for an empty value or the all-zero GUID.
    public static func guid(_ text: String?) -> String? {
        guard var text = text?.trimmed, !text.isEmpty else { return nil }
        if text.hasPrefix("{") { text.removeFirst() }
        if text.hasSuffix("}") { text.removeLast() }
        let lower = text.lowercased()
        guard !lower.isEmpty, lower != "00000000-0000-0000-0000-000000000000" else { return nil }
        return lower
    }

    /// A SID in upper case (`S-1-5-…`); nil when empty.
    public static func sid(_ text: String?) -> String? {
        guard let text = text?.trimmed, !text.isEmpty else { return nil }
        return text.uppercased()
    }

    /// Whether a SID is a person's account, not a system, service, window-manager or font-driver account.
    public static func isPersonSID(_ sid: String?) -> Bool {
        guard let sid = sid?.uppercased(), sid.hasPrefix("S-1-") else { return false }
        return !["S-1-5-18", "S-1-5-19", "S-1-5-20"].contains(sid) && !sid.hasPrefix("S-1-5-90-") && !sid.hasPrefix("S-1-5-96-")
    }
}
