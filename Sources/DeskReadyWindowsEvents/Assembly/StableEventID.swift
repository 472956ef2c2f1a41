import DeskReadyModel

/// Event ids derived from what an event was assembled from, so that importing the same records again (the same file
/// twice, overlapping exports, a forwarded copy beside a local export) gives the same id and the collector stores it
/// once. The layout is UUIDv8 (RFC 9562) shaped like UUIDv7: the start time's 48-bit millisecond prefix keeps the
/// collector's index ordered, and 74 bits of SHA-256 of the computer, the kind and the source records follow.
public enum StableEventID {
    public static func make(computer: String, kind: String, sourceIdentity: String, startedAtMs: Int64) -> UUID {
        let digest = SHA256Digest.hash(Array("\(computer.lowercased())\u{1F}\(kind)\u{1F}\(sourceIdentity)".utf8))
        let ms = UInt64(max(0, startedAtMs)) & 0xFFFF_FFFF_FFFF
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: ms >> 40), UInt8(truncatingIfNeeded: ms >> 32),
            UInt8(truncatingIfNeeded: ms >> 24), UInt8(truncatingIfNeeded: ms >> 16),
            UInt8(truncatingIfNeeded: ms >> 8), UInt8(truncatingIfNeeded: ms),
            0x80 | (digest[0] & 0x0F), digest[1],
            0x80 | (digest[2] & 0x3F), digest[3],
            digest[4], digest[5], digest[6], digest[7], digest[8], digest[9]
        ))
    }
}
