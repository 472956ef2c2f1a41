import DeskReadyAgent
import DeskReadyModel
import Foundation

/// Plays a few days of one workstation through the agent's real code paths: boots parsed from systemd-analyze
/// output, logons joined from PAM and desktop marks, application starts, all committed to the device's spool.
struct DeviceSimulator {
    struct Application {
        var name: String
        var medianSeconds: Double
        var timeoutShare: Double
    }

    static let applications = [
        Application(name: "epr", medianSeconds: 9, timeoutShare: 0.02),
        Application(name: "pacs-viewer", medianSeconds: 14, timeoutShare: 0.03),
        Application(name: "email", medianSeconds: 5, timeoutShare: 0.005),
        Application(name: "browser", medianSeconds: 2.5, timeoutShare: 0.002),
    ]

    let deviceID: String
    let site: FleetPlan.Site
    let hdd: Bool
    let pseudonymizer: Pseudonymizer
    let users: [String]

    /// Writes `days` days ending at `nowMs` into `spool`; returns the number of events spooled.
    func simulate(days: Int, nowMs: Int64, spool: Spool, random: inout SeededGenerator) throws -> Int {
        var events = 0
        let dayMs: Int64 = 86_400_000
        let firstDay = (nowMs / dayMs - Int64(days)) * dayMs
        let inventory = SimulatedEstate.inventory(at: firstDay + 6 * 3_600_000, hdd: hdd, slowSite: site.slowness > 2, random: &random)
        try spool.append(inventory)
        events += 1
        // A third of the devices take a kernel update part way through; their next logon is flagged after_upgrade.
        var system = SystemVersion(osVersion: inventory.attributes?["os_version"] ?? "", kernel: inventory.attributes?["kernel"] ?? "")
        let upgradeDay = random.chance(0.33) ? Int.random(in: 1..<max(days, 2), using: &random) : nil
        var usersSeen: Set<String> = []
        for day in 0..<days {
            // Start of shift: 07:00 to 09:00 UTC.
            var clock = firstDay + Int64(day) * dayMs + 7 * 3_600_000 + Int64.random(in: 0..<7_200_000, using: &random)
            guard clock < nowMs - 3_600_000 else { break }
            let slowness = site.slowness(onDay: day)
            var upgradePending = day == upgradeDay
            if upgradePending { system.kernel += "+update" }
            let bootId = "\(deviceID)-boot-\(day)"
            let boot = try bootEvent(at: clock, bootId: bootId, random: &random)
            try spool.append(boot)
            events += 1
            clock += boot.durationMs + Int64.random(in: 5_000..<120_000, using: &random)
            for hour in 0..<3 {
                let probes = SimulatedEstate.probes(at: clock + Int64(hour) * 3_600_000, slowness: slowness, random: &random)
                try spool.append(contentsOf: probes)
                events += probes.count
            }
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let user = users.randomElement(using: &random)!
                // Some users are new starters: their first logon here creates their home folder.
                let newStarter = !usersSeen.contains(user) && random.chance(0.15)
                usersSeen.insert(user)
                clock = try logon(at: clock, user: user, bootId: bootId, newStarter: newStarter, afterUpgrade: upgradePending,
                                  slowness: slowness, spool: spool, random: &random)
                upgradePending = false
                events += 1
                var starts: [MeasurementEvent] = []
                for _ in 0..<Int.random(in: 2...5, using: &random) {
                    clock += Int64.random(in: 30_000..<1_800_000, using: &random)
                    starts.append(applicationStart(at: clock, user: user, slowness: slowness, random: &random))
                }
                try spool.append(contentsOf: starts)
                events += starts.count
                clock += Int64.random(in: 600_000..<7_200_000, using: &random)
            }
            // Join the day's marks into logon events and flag them, as the daemon does.
            let assembled = LogonAssembler().assemble(try spool.openMarks(), nowMs: nowMs)
            try spool.completeLogons(assembled.events, consumedMarkIDs: assembled.consumed, flagging: LogonFlagging(system: system))
        }
        return events
    }

    private func bootEvent(at startMs: Int64, bootId: String, random: inout SeededGenerator) throws -> MeasurementEvent {
        let disk = hdd ? 3.2 : 1.0
        let firmware = random.logNormal(median: 4.5, sigma: 0.3)
        let loader = random.logNormal(median: 1.2, sigma: 0.3)
        let kernel = random.logNormal(median: 1.6, sigma: 0.2) * (hdd ? 1.5 : 1)
        let initrd = random.logNormal(median: 2.2, sigma: 0.3) * disk
        let userspace = random.logNormal(median: 11, sigma: 0.35) * disk
        let total = firmware + loader + kernel + initrd + userspace
        let output = String(format: "Startup finished in %.3fs (firmware) + %.3fs (loader) + %.3fs (kernel) + %.3fs (initrd) + %.3fs (userspace) = %.3fs\ngraphical.target reached after %.3fs in userspace.\n",
                            firmware, loader, kernel, initrd, userspace, total, userspace * 0.97)
        guard let timing = BootTiming.parse(systemdAnalyze: output) else {
            throw ValidationError("simulated systemd-analyze output did not parse: \(output)")
        }
        return timing.event(bootedAtMs: startMs + Int64((firmware + loader) * 1000), bootId: bootId)
    }

    /// Records the four marks of a logon (or three, for one that never reaches the desktop); returns the clock after it.
    private func logon(at startMs: Int64, user: String, bootId: String, newStarter: Bool, afterUpgrade: Bool, slowness: Double, spool: Spool,
                       random: inout SeededGenerator) throws -> Int64 {
        let pseudonym = pseudonymizer.pseudonym(for: user)
        let session = String(Int.random(in: 1...9_999, using: &random))
        let authentication = random.logNormal(median: 1_800, sigma: 0.4)
        // Creating a profile takes a minute or more; the first logon after an update finishes its work.
        let profile = (newStarter ? random.logNormal(median: 70_000, sigma: 0.4) : 0)
            + (afterUpgrade ? random.logNormal(median: 35_000, sigma: 0.4) : 0)
        let sessionStart = random.logNormal(median: 11_000, sigma: 0.5) * slowness * (hdd ? 1.6 : 1) + profile
        let responsive = random.logNormal(median: 6_000, sigma: 0.6) * slowness
        var t = Double(startMs)
        func mark(_ name: LogonMark.Milestone, _ attributes: [String: String] = [:]) throws {
            let home = newStarter && name == .sessionOpen ? [LocalFact.homeCreatedMs: String(Int64(t))] : attributes
            try spool.recordMark(LogonMark(name: name.rawValue, session: session, user: pseudonym, sessionType: "x11",
                                           wallMs: Int64(t), monotonicMs: Int64(t), bootId: bootId, attributes: home))
        }
        try mark(.authStart)
        t += random.logNormal(median: 4_000, sigma: 0.5) // typing the password: kept out of the logon
        try mark(.authDone, [LocalFact.priorSession: UnlockDecider.noPriorSession])
        t += authentication
        try mark(.sessionOpen)
        if random.chance(0.01) { return Int64(t) + 60_000 } // the desktop never came up
        t += sessionStart
        try mark(.desktopReady)
        t += responsive
        try mark(.responsive)
        return Int64(t)
    }

    private func applicationStart(at startMs: Int64, user: String, slowness: Double, random: inout SeededGenerator) -> MeasurementEvent {
        let app = Self.applications.randomElement(using: &random)!
        let timedOut = random.chance(app.timeoutShare * slowness)
        let duration = timedOut ? 120_000 : random.logNormal(median: app.medianSeconds * 1000, sigma: 0.55) * slowness
        return MeasurementEvent(
            id: UUIDv7.make(unixMs: startMs, using: &random), kind: .appStart, name: app.name, startedAtMs: startMs,
            durationMs: Int64(duration), outcome: timedOut ? .timeout : .ok, user: pseudonymizer.pseudonym(for: user),
            attributes: ["readiness": "window", "method": "launcher"])
    }
}

import ArgumentParser
