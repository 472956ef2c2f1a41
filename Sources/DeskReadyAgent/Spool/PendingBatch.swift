import DeskReadyModel

/// A batch taken from the spool: its id is committed before the first send and reused by every retry.
public struct PendingBatch: Sendable {
    public let batchId: UUID
    public let firstSeq: Int64
    public let lastSeq: Int64
    /// Each event's id and its JSON, in spool order.
    public let events: [(id: UUID, json: [UInt8])]
    /// Send attempts made before this one.
    public let attempts: Int
    public let oldestCreatedMs: Int64

    public var count: Int { events.count }

    /// The batch's wire JSON, assembled from the spooled event JSON without re-encoding it.
    public func body(device: DeviceIdentity, sentAtMs: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.reduce(256) { $0 + $1.json.count + 1 })
        out += Array("{\"schema_version\":1,\"batch_id\":\"\(batchId.uuidString)\",\"device\":{\"id\":".utf8)
        out += JSONText.quoted(device.id)
        out += Array(",\"trust\":".utf8) + JSONText.quoted(device.trust)
        out += Array(",\"site\":".utf8) + JSONText.quoted(device.site)
        if let version = device.agentVersion { out += Array(",\"agent_version\":".utf8) + JSONText.quoted(version) }
        out += Array("},\"sent_at_ms\":\(sentAtMs),\"events\":[".utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += event.json
        }
        out += Array("]}".utf8)
        return out
    }
}

/// Minimal JSON string quoting for the few strings written by hand.
enum JSONText {
    static func quoted(_ string: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
