#if canImport(Glibc)
import Glibc
#endif

/// Ready when a line holding a text is written to a log file after the start. What the file held before is
/// ignored; a file truncated or replaced (by log rotation) is read again from its beginning.
public final class LogReadiness: ReadinessCheck {
    let path: String
    let text: [UInt8]
    private var offset: Int64
    /// The last bytes of what was read, so a match split across two reads is still found.
    private var carry: [UInt8] = []

    public init(path: String, text: String) {
        self.path = path
        self.text = Array(text.utf8)
        var info = stat()
        offset = stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    public func poll(nowMs: Int64, pids: Set<Int32>) -> Int64? {
        guard !text.isEmpty, let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var info = stat()
        guard fstat(fileno(file), &info) == 0 else { return nil }
        if Int64(info.st_size) < offset {
            offset = 0
            carry = []
        }
        guard Int64(info.st_size) > offset, fseeko(file, off_t(offset), SEEK_SET) == 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            offset += Int64(n)
            let window = carry + buffer[0..<n]
            if Self.contains(window, text) { return nowMs }
            carry = Array(window.suffix(text.count - 1))
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
