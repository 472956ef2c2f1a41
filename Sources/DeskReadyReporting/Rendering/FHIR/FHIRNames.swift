/// Identifiers that FHIR accepts, made from DeskReady's names.
enum FHIRNames {
    /// A resource id: letters, digits, '-' and '.', at most 64 characters.
    static func id(_ text: String) -> String {
        let cleaned = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "-" })
        return String(cleaned.prefix(64))
    }

    /// A computer-friendly name: an upper-case letter, then letters, digits and '_' ("logon_p90" becomes "LogonP90").
    static func name(_ text: String) -> String {
        let words = text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let joined = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return joined.first?.isLetter == true ? joined : "M" + joined
    }

    /// A stable `urn:uuid:` for a name, so the same report gives the same bundle (FNV-1a, 128 bits, version 8).
    static func uuid(_ text: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            return hash
        }
        var high = fnv(0xCBF2_9CE4_8422_2325)
        var low = fnv(0x84222325CBF29CE4)
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000  // version 8
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        func hex(_ v: UInt64, _ digits: Int) -> String {
            let text = String(v, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let h = hex(high, 16)
        let l = hex(low, 16)
        return "urn:uuid:\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }
}
