/// Time-ordered UUIDs (RFC 9562 version 7), so that the collector's unique index takes inserts at its right edge.
public enum UUIDv7 {
    /// A new UUIDv7 for the given Unix time in milliseconds.
    public static func make(unixMs: Int64 = WallClock.nowMs()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(unixMs: unixMs, using: &generator)
    }

    public static func make<G: RandomNumberGenerator>(unixMs: Int64, using generator: inout G) -> UUID {
        let ms = UInt64(max(0, unixMs)) & 0xFFFF_FFFF_FFFF
        let a = generator.next() as UInt64
        let b = generator.next() as UInt64
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: ms >> 40), UInt8(truncatingIfNeeded: ms >> 32),
            UInt8(truncatingIfNeeded: ms >> 24), UInt8(truncatingIfNeeded: ms >> 16),
            UInt8(truncatingIfNeeded: ms >> 8), UInt8(truncatingIfNeeded: ms),
            0x70 | UInt8(truncatingIfNeeded: a >> 60), UInt8(truncatingIfNeeded: a >> 52),
            0x80 | (UInt8(truncatingIfNeeded: a >> 44) & 0x3F), UInt8(truncatingIfNeeded: a >> 36),
            UInt8(truncatingIfNeeded: b >> 56), UInt8(truncatingIfNeeded: b >> 48),
            UInt8(truncatingIfNeeded: b >> 40), UInt8(truncatingIfNeeded: b >> 32),
            UInt8(truncatingIfNeeded: b >> 24), UInt8(truncatingIfNeeded: b >> 16)
        ))
    }

    /// The Unix milliseconds carried by a UUIDv7.
    public static func unixMs(of uuid: UUID) -> Int64 {
        let u = uuid.uuid
        return Int64(u.0) << 40 | Int64(u.1) << 32 | Int64(u.2) << 24 | Int64(u.3) << 16 | Int64(u.4) << 8 | Int64(u.5)
    }
}
