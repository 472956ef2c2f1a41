/// One record as one line of tab-separated text (tabs, line breaks and backslashes escaped), for holding records
/// on disk between the reading and the assembling of a large import, and in the importer's state.
public enum RecordLine {
    /// The record as a line, without the line break.
    public static func encode(_ record: WindowsEventRecord) -> String {
        var fields = [record.provider, String(record.eventID), String(record.timeUs), String(record.recordID), record.channel,
                      record.computer, record.processID.map(String.init) ?? "", record.userSID ?? "", record.activityID ?? ""]
        for key in record.data.keys.sorted() {
            fields.append(key)
            fields.append(record.data[key] ?? "")
        }
        return fields.map(escape).joined(separator: "\t")
    }

    /// The record of a line made by `encode`, or nil when the line is not one.
    public static func decode(_ line: Substring) -> WindowsEventRecord? {
        var fields: [String] = []
        fields.reserveCapacity(24)
        var current: [UInt8] = []
        current.reserveCapacity(64)
        var escaping = false
        for byte in line.utf8 {
            if escaping {
                switch byte {
                case 0x74: current.append(0x09) // t
                case 0x6E: current.append(0x0A) // n
                case 0x72: current.append(0x0D) // r
                default: current.append(byte)
                }
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else if byte == 0x09 {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        fields.append(String(decoding: current, as: UTF8.self))
        guard fields.count >= 9, fields.count % 2 == 1, let eventID = Int(fields[1]), let timeUs = Int64(fields[2]),
              let recordID = Int64(fields[3]) else { return nil }
        var data: [String: String] = [:]
        data.reserveCapacity((fields.count - 9) / 2)
        var i = 9
        while i + 1 < fields.count {
            data[fields[i]] = fields[i + 1]
            i += 2
        }
        return WindowsEventRecord(
            provider: fields[0], eventID: eventID, timeUs: timeUs, recordID: recordID, channel: fields[4], computer: fields[5],
            processID: Int(fields[6]), userSID: fields[7].isEmpty ? nil : fields[7], activityID: fields[8].isEmpty ? nil : fields[8], data: data)
    }

    private static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
