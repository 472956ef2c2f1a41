extension String {
    /// The text without leading and trailing ASCII spaces, tabs and line breaks.
    var trimmed: String {
        let utf8 = self.utf8
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return "" }
        if !Byte.isSpace(firstByte), !Byte.isSpace(lastByte) { return self }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !Byte.isSpace($0) }), let last = bytes.lastIndex(where: { !Byte.isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
