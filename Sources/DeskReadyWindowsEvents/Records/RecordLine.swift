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
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(unescape)
        guard fields.count >= 9, fields.count % 2 == 1, let eventID = Int(fields[1]), let timeUs = Int64(fields[2]),
              let recordID = Int64(fields[3]) else { return nil }
        var data: [String: String] = [:]
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
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ text: Substring) -> String {
        guard text.utf8.contains(0x5C) else { return String(text) }
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
