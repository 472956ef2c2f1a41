/// One computer's records, deduplicated and sorted by time, with lookups by provider and event id that find a time
/// by binary search (a computer's history can hold thousands of logons).
struct ComputerRecords {
    let all: [WindowsEventRecord]
    let clock: ClockSteps
    private let byKind: [String: [WindowsEventRecord]]
    /// Shell-Core's cloud experience host (first-run) events: 624xx with a `CXID`.
    let cloudExperience: [WindowsEventRecord]

    init(_ records: [WindowsEventRecord]) {
        var seen = Set<String>()
        var unique: [WindowsEventRecord] = []
        unique.reserveCapacity(records.count)
        for record in records where seen.insert(record.identity).inserted { unique.append(record) }
        unique.sort { ($0.timeUs, $0.channel, $0.recordID) < ($1.timeUs, $1.channel, $1.recordID) }
        all = unique
        clock = ClockSteps(unique)
        var index: [String: [WindowsEventRecord]] = [:]
        for record in unique { index[Self.key(record.provider.lowercased(), record.eventID), default: []].append(record) }
        byKind = index
        cloudExperience = unique.filter {
            $0.provider.lowercased() == EventCatalog.shellCore && (62400...62499).contains($0.eventID) && $0.data["CXID"] != nil
        }
    }

    static func key(_ provider: String, _ id: Int) -> String { "\(provider)#\(id)" }

    /// Records of a provider (lower-case catalog name) and id, in time order.
    func of(_ provider: String, _ id: Int) -> [WindowsEventRecord] { byKind[Self.key(provider, id)] ?? [] }

    /// The first record of `provider`/`id` at or after `timeUs` (less any backward clock step nearby) and before
    /// `limitUs`, that `matches`.
    func first(_ provider: String, _ id: Int, after timeUs: Int64, before limitUs: Int64 = .max,
               where matches: (WindowsEventRecord) -> Bool = { _ in true }) -> WindowsEventRecord? {
        Self.first(in: of(provider, id), after: timeUs - clock.slackUs(around: timeUs), before: limitUs, where: matches)
    }

    /// The first of time-sorted `list` in `from..<limitUs` that `matches`.
    static func first(in list: [WindowsEventRecord], after from: Int64, before limitUs: Int64,
                      where matches: (WindowsEventRecord) -> Bool) -> WindowsEventRecord? {
        var i = lowerBound(list, from)
        while i < list.count, list[i].timeUs < limitUs {
            if matches(list[i]) { return list[i] }
            i += 1
        }
        return nil
    }

    /// The last record of `provider`/`id` at or before `timeUs` (plus any backward clock step) and after `sinceUs`.
    func last(_ provider: String, _ id: Int, before timeUs: Int64, since sinceUs: Int64 = .min,
              where matches: (WindowsEventRecord) -> Bool = { _ in true }) -> WindowsEventRecord? {
        let list = of(provider, id)
        let until = timeUs + clock.slackUs(around: timeUs)
        var i = Self.lowerBound(list, until == .max ? until : until + 1) - 1
        while i >= 0, list[i].timeUs > sinceUs {
            if matches(list[i]) { return list[i] }
            i -= 1
        }
        return nil
    }

    /// The index of the first record of `list` at or after `timeUs`.
    private static func lowerBound(_ list: [WindowsEventRecord], _ timeUs: Int64) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].timeUs < timeUs { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
