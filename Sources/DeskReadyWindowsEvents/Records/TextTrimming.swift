extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs and line breaks.
    var trimmed: String {
        let bytes = Array(self.utf8)
        guard let first = bytes.firstIndex(where: { !Byte.isSpace($0) }), let last = bytes.lastIndex(where: { !Byte.isSpace($0) }) else { return "" }
        if first == 0, last == bytes.count - 1 { return String(self) }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
