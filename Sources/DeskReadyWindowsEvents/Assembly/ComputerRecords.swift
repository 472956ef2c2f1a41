/// One computer's records, deduplicated and sorted by time, with lookups by provider and event id.
struct ComputerRecords {
    let all: [WindowsEventRecord]
    let clock: ClockSteps
    private let byKind: [String: [Int]]

    init(_ records: [WindowsEventRecord]) {
        var seen = Set<String>()
        var unique: [WindowsEventRecord] = []
        unique.reserveCapacity(records.count)
        for record in records where seen.insert(record.identity).inserted { unique.append(record) }
        unique.sort { ($0.timeUs, $0.channel, $0.recordID) < ($1.timeUs, $1.channel, $1.recordID) }
        all = unique
        clock = ClockSteps(unique)
        var index: [String: [Int]] = [:]
        for (position, record) in unique.enumerated() {
            index[Self.key(record.provider.lowercased(), record.eventID), default: []].append(position)
        }
        byKind = index
    }

    static func key(_ provider: String, _ id: Int) -> String { "\(provider)#\(id)" }

    /// Records of a provider (lower-case catalog name) and id, in time order.
    func of(_ provider: String, _ id: Int) -> [WindowsEventRecord] {
        (byKind[Self.key(provider, id)] ?? []).map { all[$0] }
    }

    /// The first record of `provider`/`id` at or after `timeUs` (less any backward clock step nearby) and before
    /// `limitUs`, that `matches`.
    func first(_ provider: String, _ id: Int, after timeUs: Int64, before limitUs: Int64 = .max,
               where matches: (WindowsEventRecord) -> Bool = { _ in true }) -> WindowsEventRecord? {
        let from = timeUs - clock.slackUs(around: timeUs)
        return of(provider, id).first { $0.timeUs >= from && $0.timeUs < limitUs && matches($0) }
    }

    /// The last record of `provider`/`id` at or before `timeUs` (plus any backward clock step) and after `sinceUs`.
    func last(_ provider: String, _ id: Int, before timeUs: Int64, since sinceUs: Int64 = .min,
              where matches: (WindowsEventRecord) -> Bool = { _ in true }) -> WindowsEventRecord? {
        let until = timeUs + clock.slackUs(around: timeUs)
        return of(provider, id).last { $0.timeUs <= until && $0.timeUs > sinceUs && matches($0) }
    }
}
