internal import CDeskReadySupport

/// gzip compression of request bodies (zlib).
public enum Gzip {
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        var outLength = 0
        let rc = bytes.withUnsafeBytes { dr_gzip($0.baseAddress, $0.count, &out, &outLength) }
        guard rc == 0, let out else { return nil }
        defer { dr_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: outLength))
    }
}
