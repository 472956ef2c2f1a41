import Foundation

/// The stored form of a histogram: a format byte, then for each used bucket in increasing order the gap from the
/// previous bucket and the count, both as unsigned LEB128 varints. An hour of a few logons takes a dozen bytes.
extension TimingHistogram {
    package static let formatVersion: UInt8 = 1

    /// The bytes stored in an aggregate row.
    public func encoded() -> Data {
        Data(encodedBytes())
    }

    package func encodedBytes() -> [UInt8] {
        var bytes: [UInt8] = [Self.formatVersion]
        bytes.reserveCapacity(1 + bucketValues.count * 4)
        var previous: UInt64 = 0
        for index in bucketValues.indices {
            Self.appendVarint(bucketValues[index] - previous, to: &bytes)
            Self.appendVarint(bucketCounts[index], to: &bytes)
            previous = bucketValues[index]
        }
        return bytes
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
                throw Self.unknownFormat(raw.first)
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

    /// Merges two stored histograms into the stored form of their sum in one pass over both byte streams (each
    /// lists its buckets in increasing order), without building a histogram: the same bytes as decoding both,
    /// merging and `encoded()`, at a fraction of the cost. It runs for every aggregate row an ingest touches.
    package static func mergeEncoded(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) throws -> [UInt8] {
        if a.first != formatVersion || b.first != formatVersion {
            let first = a.first != formatVersion ? a.first : b.first
            throw unknownFormat(first)
        }
        var out: [UInt8] = [formatVersion]
        out.reserveCapacity(a.count + b.count)
        var offsetA = 1, offsetB = 1
        var bucketA: UInt64 = 0, bucketB: UInt64 = 0
        var countA: UInt64 = 0, countB: UInt64 = 0
        func next(_ raw: UnsafeRawBufferPointer, _ offset: inout Int, _ bucket: inout UInt64, _ count: inout UInt64) throws -> Bool {
            guard offset < raw.count else { return false }
            bucket += try readVarint(raw, &offset)
            count = try readVarint(raw, &offset)
            return true
        }
        var hasA = try next(a, &offsetA, &bucketA, &countA)
        var hasB = try next(b, &offsetB, &bucketB, &countB)
        var previous: UInt64 = 0
        var pendingBucket: UInt64 = 0
        var pendingCount: UInt64 = 0
        func emit(_ bucket: UInt64, _ count: UInt64) {
            guard count > 0 else { return }
            if pendingCount > 0, bucket == pendingBucket {
                pendingCount += count
                return
            }
            if pendingCount > 0 {
                appendVarint(pendingBucket - previous, to: &out)
                appendVarint(pendingCount, to: &out)
                previous = pendingBucket
            }
            pendingBucket = bucket
            pendingCount = count
        }
        while hasA || hasB {
            if hasA, !hasB || bucketA <= bucketB {
                emit(bucketA, countA)
                hasA = try next(a, &offsetA, &bucketA, &countA)
            } else {
                emit(bucketB, countB)
                hasB = try next(b, &offsetB, &bucketB, &countB)
            }
        }
        if pendingCount > 0 {
            appendVarint(pendingBucket - previous, to: &out)
            appendVarint(pendingCount, to: &out)
        }
        return out
    }

    /// The error for a stored histogram whose first byte is not this version's format.
    static func unknownFormat(_ firstByte: UInt8?) -> StoreError {
        StoreError("a stored histogram has an unknown format (\(firstByte.map(String.init) ?? "empty")); this collector is older than the database it opened")
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
