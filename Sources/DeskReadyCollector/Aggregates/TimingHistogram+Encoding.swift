import Foundation

/// The stored form of a histogram: a format byte, then for each used bucket in increasing order the gap from the
/// previous bucket and the count, both as unsigned LEB128 varints. An hour of a few logons takes a dozen bytes.
extension TimingHistogram {
    static let formatVersion: UInt8 = 1

    /// The bytes stored in an aggregate row.
    public func encoded() -> Data {
        var bytes: [UInt8] = [Self.formatVersion]
        bytes.reserveCapacity(1 + bucketValues.count * 4)
        var previous: UInt64 = 0
        for index in bucketValues.indices {
            Self.appendVarint(bucketValues[index] - previous, to: &bytes)
            Self.appendVarint(bucketCounts[index], to: &bytes)
            previous = bucketValues[index]
        }
        return Data(bytes)
    }

    /// Reads bytes written by `encoded()`.
    public init(encoded data: Data) throws {
        self.init()
        try mergeEncoded(data)
    }

    /// Adds the observations of a stored histogram (its buckets are stored in increasing order, so this is one
    /// merge pass).
    public mutating func mergeEncoded(_ data: Data) throws {
        var values: [UInt64] = []
        var counts: [UInt64] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard raw.first == Self.formatVersion else {
                throw StoreError("a stored histogram has an unknown format (\(raw.first.map(String.init) ?? "empty")); this collector is older than the database it opened")
            }
            var offset = 1
            var bucket: UInt64 = 0
            values.reserveCapacity(raw.count / 3)
            counts.reserveCapacity(raw.count / 3)
            while offset < raw.count {
                bucket += try Self.readVarint(raw, &offset)
                values.append(bucket)
                counts.append(try Self.readVarint(raw, &offset))
            }
        }
        if isEmpty {
            var decoded = TimingHistogram()
            decoded.bucketValues = values
            decoded.bucketCounts = counts
            decoded.count = Int(counts.reduce(0, +))
            self = decoded
        } else {
            mergeSorted(values, counts)
        }
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func readVarint(_ raw: UnsafeRawBufferPointer, _ offset: inout Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count, shift < 64 {
            let byte = raw[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw StoreError("a stored histogram is truncated; run `deskready check` on the database")
    }
}
