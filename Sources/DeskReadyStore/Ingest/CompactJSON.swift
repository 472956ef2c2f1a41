/// Writes the small JSON objects stored beside each event (phases, attributes) without JSONEncoder, which costs more
/// than the SQL insert itself at ingest rates. Keys are sorted, so equal maps give equal text. Built as UTF-8 bytes:
/// appending to a `String` scalar by scalar had cost a fifth of the ingest handlers' time.
enum CompactJSON {
    static func object(_ values: [String: Int64]) -> String {
        object(values) { out, value in out.append(contentsOf: String(value).utf8) }
    }

    static func object(_ values: [String: String]) -> String {
        object(values) { out, value in appendQuoted(value, to: &out) }
    }

    private static func object<Value>(_ values: [String: Value], _ appendValue: (inout [UInt8], Value) -> Void) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(24 * values.count + 2)
        for (index, entry) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendQuoted(entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(&out, entry.value)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `string` as a JSON string: quotes, backslashes and control characters escaped, everything else (multi-byte
    /// UTF-8 included, whose bytes are all 0x80 or above) copied as it is.
    static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
