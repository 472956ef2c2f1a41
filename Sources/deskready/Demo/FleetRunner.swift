import DeskReadyAgent
import DeskReadyModel
import Foundation
import NIOPosix

/// Runs a simulated fleet against a collector: each device gets its own spool, is played for a few days, then its
/// uploader drains the spool over HTTP. Blocking agent work runs on a thread pool, never on the async executor.
struct FleetRunner {
    let plan: FleetPlan
    let days: Int
    let spoolDirectory: String
    let collectorURL: String
    let parallelism: Int
    /// Each trust's enrolment token: every simulated agent enrols itself before its first upload.
    let enrolmentTokens: [String: String]

    struct Outcome {
        var devices = 0
        var spooled = 0
        var accepted = 0
        var duplicates = 0
        var rejected = 0
    }

    func run(nowMs: Int64 = WallClock.nowMs(), seed: UInt64 = 2026) async throws -> Outcome {
        try FileManager.default.createDirectory(atPath: spoolDirectory, withIntermediateDirectories: true)
        let pool = NIOThreadPool(numberOfThreads: parallelism)
        pool.start()
        var jobs: [(FleetPlan.Trust, FleetPlan.Site, Int)] = []
        for trust in plan.trusts {
            for site in trust.sites {
                for index in 0..<site.devices { jobs.append((trust, site, index)) }
            }
        }
        var total = Outcome()
        do {
            try await runJobs(jobs, pool: pool, total: &total, nowMs: nowMs, seed: seed)
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
        return total
    }

    private func runJobs(_ jobs: [(FleetPlan.Trust, FleetPlan.Site, Int)], pool: NIOThreadPool, total: inout Outcome, nowMs: Int64, seed: UInt64) async throws {
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = 0
            func addJob() {
                let (trust, site, index) = jobs[next]
                let job = next
                next += 1
                group.addTask {
                    try await pool.runIfActive {
                        try runDevice(trust: trust, site: site, index: index, job: job, nowMs: nowMs, seed: seed)
                    }
                }
            }
            while next < min(jobs.count, parallelism * 2) { addJob() }
            while let outcome = try await group.next() {
                total.devices += outcome.devices
                total.spooled += outcome.spooled
                total.accepted += outcome.accepted
                total.duplicates += outcome.duplicates
                total.rejected += outcome.rejected
                if next < jobs.count { addJob() }
            }
        }
    }

    private func runDevice(trust: FleetPlan.Trust, site: FleetPlan.Site, index: Int, job: Int, nowMs: Int64, seed: UInt64) throws -> Outcome {
        var random = SeededGenerator(seed: seed &+ UInt64(job) &* 7919)
        let deviceID = "\(site.code.lowercased())-ws\(String(format: "%03d", index + 1))"
        var config = AgentConfig()
        config.collectorURL = collectorURL
        config.trust = trust.code
        config.site = site.code
        config.deviceID = deviceID
        config.pseudonymKey = "demo-key-\(trust.code)-do-not-use-in-production"
        config.spoolPath = "\(spoolDirectory)/\(deviceID).sqlite"
        config.enrolmentToken = enrolmentTokens[trust.code]
        let spool = try Spool(path: config.spoolPath)
        let simulator = DeviceSimulator(
            deviceID: deviceID, site: site, hdd: random.chance(site.hddShare),
            pseudonymizer: Pseudonymizer(key: config.pseudonymKey),
            users: (1...8).map { "\(trust.code.lowercased())user\($0 + index)" })
        var outcome = Outcome(devices: 1)
        outcome.spooled = try simulator.simulate(days: days, nowMs: nowMs, spool: spool, random: &random)
        let uploader = Uploader(spool: spool, config: config, transport: CurlTransport())
        var attempts = 0
        while true {
            switch try uploader.sendNext() {
            case .idle:
                return outcome
            case .acknowledged(let accepted, let duplicates, let rejected):
                outcome.accepted += accepted
                outcome.duplicates += duplicates
                outcome.rejected += rejected
            case .deadLettered(let status):
                throw DemoError("the collector refused a batch from \(deviceID) with \(status); see `deskready-agent status --spool \(config.spoolPath)`")
            case .retry(let reason, _):
                attempts += 1
                if attempts > 5 { throw DemoError("device \(deviceID) could not upload: \(reason)") }
                usleep(UInt32(200_000 * attempts))
            }
        }
    }
}

/// A demo failure, said plainly.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
