import DeskReadyModel

/// What a set of newly stored events of one trust adds to the aggregates: hourly timing histograms, the days each
/// device reported, daily timings per device model, and each device's newest inventory. Built in memory from the
/// events a transaction actually inserted (duplicates never count), then written in that same transaction.
package struct AggregateDelta: Sendable {
    package var timings: [TimingAggregateKey: TimingAccumulator] = [:]
    package var deviceDays: Set<DeviceDayKey> = []
    package var modelDays: [ModelDayKey: TimingAccumulator] = [:]
    /// Newest inventory per device id.
    package var facts: [String: DeviceFacts] = [:]
    /// The latest start time among the events, for the trust's "newest data" (kept apart from the raw events, which
    /// retention may delete).
    package var newestStartedAtMs: Int64?
    /// The device day added last (already in `deviceDays`).
    private var lastDeviceDay: DeviceDayKey?

    package static let hourMs = UTCTime.hourMs
    package static let dayMs = UTCTime.dayMs
    /// Kinds whose timings are kept per device model, to find the slowest models.
    static let modelKinds: Set<EventKind> = [.logon, .boot]

    package init() {}

    package var isEmpty: Bool { timings.isEmpty && deviceDays.isEmpty && modelDays.isEmpty && facts.isEmpty && newestStartedAtMs == nil }

    /// Folds one stored event in. `model` is the device's model as last inventoried (or "unknown").
    package mutating func add(_ event: MeasurementEvent, site: String, deviceId: String, model: String) {
        newestStartedAtMs = max(newestStartedAtMs ?? event.startedAtMs, event.startedAtMs)
        let deviceDay = DeviceDayKey(day: Self.floor(event.startedAtMs, Self.dayMs), deviceId: deviceId, site: site)
        // A batch is one device's, mostly from one day: hash the key only when it differs from the last one added.
        if deviceDay != lastDeviceDay {
            deviceDays.insert(deviceDay)
            lastDeviceDay = deviceDay
        }
        if event.kind == .inventory, let attributes = event.attributes {
            let candidate = DeviceFacts(observedMs: event.startedAtMs, attributes: attributes)
            if let known = facts[deviceId], known.observedMs > candidate.observedMs { return }
            facts[deviceId] = candidate
            return
        }
        guard EventKind.timed.contains(event.kind) else { return }
        let cohort = event.kind == .logon ? LogonCohort(attributes: event.attributes).rawValue : ""
        let hour = Self.floor(event.startedAtMs, Self.hourMs)
        let total = TimingAggregateKey(hour: hour, site: site, kind: event.kind.rawValue, name: event.name, cohort: cohort, phase: "")
        timings[total, default: TimingAccumulator()].add(event)
        if event.outcome == .ok, let phases = event.phases {
            for (phase, ms) in phases {
                var key = total
                key.phase = phase
                timings[key, default: TimingAccumulator()].add(durationMs: ms)
            }
        }
        if Self.modelKinds.contains(event.kind), cohort.isEmpty {
            let key = ModelDayKey(day: Self.floor(event.startedAtMs, Self.dayMs), model: model, kind: event.kind.rawValue)
            modelDays[key, default: TimingAccumulator()].add(event)
        }
    }

    /// The hourly timings merged by UTC day; the key's `hour` holds the day (days since the epoch).
    package func dailyTimings() -> [TimingAggregateKey: TimingAccumulator] {
        var days: [TimingAggregateKey: TimingAccumulator] = [:]
        for (key, value) in timings {
            var day = key
            day.hour = Self.floor(key.hour, 24)
            days[day, default: TimingAccumulator()].merge(value)
        }
        return days
    }

    /// Adds the aggregates of events stored after this delta's (later inventories win ties, as in `add`).
    package mutating func merge(_ other: AggregateDelta) {
        for (key, value) in other.timings { timings[key, default: TimingAccumulator()].merge(value) }
        deviceDays.formUnion(other.deviceDays)
        if let newest = other.newestStartedAtMs { newestStartedAtMs = max(newestStartedAtMs ?? newest, newest) }
        for (key, value) in other.modelDays { modelDays[key, default: TimingAccumulator()].merge(value) }
        for (device, candidate) in other.facts {
            if let known = facts[device], known.observedMs > candidate.observedMs { continue }
            facts[device] = candidate
        }
    }

    /// Names the model of a delta built with model `""` for one device (a batch's delta is built before the writer
    /// looks the device's model up).
    package mutating func setModel(_ model: String) {
        guard !modelDays.isEmpty, !model.isEmpty else { return }
        var renamed: [ModelDayKey: TimingAccumulator] = [:]
        renamed.reserveCapacity(modelDays.count)
        for (key, value) in modelDays {
            var key = key
            key.model = model
            renamed[key, default: TimingAccumulator()].merge(value)
        }
        modelDays = renamed
    }

    package static func floor(_ ms: Int64, _ unit: Int64) -> Int64 {
        ms >= 0 ? ms / unit : (ms - unit + 1) / unit
    }

    /// The first whole unit at or after `ms` (periods start on a unit boundary in practice).
    package static func ceil(_ ms: Int64, _ unit: Int64) -> Int64 {
        let floor = floor(ms, unit)
        return floor * unit == ms ? floor : floor + 1
    }
}

/// One hourly timing aggregate: a trust's (implied) site, kind, name, logon cohort and phase ("" for the total).
package struct TimingAggregateKey: Hashable, Sendable {
    /// Hours since the Unix epoch, UTC.
    package var hour: Int64
    package var site: String
    package var kind: String
    package var name: String
    package var cohort: String
    package var phase: String
}

/// A device that reported on a day (UTC days since the epoch), and the site it reported from.
package struct DeviceDayKey: Hashable, Sendable {
    package var day: Int64
    package var deviceId: String
    package var site: String
}

/// Daily timings of one device model and kind.
package struct ModelDayKey: Hashable, Sendable {
    package var day: Int64
    package var model: String
    package var kind: String
}

/// Counts and the distribution of successful durations behind one aggregate.
package struct TimingAccumulator: Sendable {
    package var histogram = TimingHistogram()
    package var ok = 0
    package var failures = 0
    package var incomplete = 0

    package init() {}

    mutating func add(_ event: MeasurementEvent) {
        if event.outcome == .ok {
            add(durationMs: event.durationMs)
        } else {
            failures += 1
            if event.outcome == .incomplete { incomplete += 1 }
        }
    }

    package mutating func merge(_ other: TimingAccumulator) {
        histogram.merge(other.histogram)
        ok += other.ok
        failures += other.failures
        incomplete += other.incomplete
    }

    mutating func add(durationMs: Int64) {
        histogram.record(durationMs)
        ok += 1
    }
}
