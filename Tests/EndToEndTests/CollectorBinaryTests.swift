import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing

/// The real `deskready` binary, as a trust's IT team runs it.
@Suite("deskready binary")
struct CollectorBinaryTests {
    @Test("Set up a trust, enrol an agent, back up while serving, and stop gracefully on SIGTERM")
    func operateCollector() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-serve")
        defer { dir.remove() }
        let db = dir.file("collector.sqlite")
        let added = try await run(deskready, ["trust", "add", "RXX", "--name", "Test Hospitals NHS Trust", "--db", db])
        #expect(added.status == 0, "\(added.stderr)")
        let duplicate = try await run(deskready, ["trust", "add", "RXX", "--name", "Again", "--db", db])
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("already set up"))
        let enrol = try await run(deskready, ["enrol-token", "create", "--trust", "RXX", "--db", db])
        #expect(enrol.status == 0, "\(enrol.stderr)")
        let enrolmentToken = enrol.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(enrolmentToken.hasPrefix("dre_"))

        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: deskready)
        server.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:\(port)", "--log-format", "json"]
        let serverLog = Pipe()
        server.standardError = serverLog
        try server.run()
        defer { if server.isRunning { server.interrupt() } }
        let base = "http://127.0.0.1:\(port)"
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = (try? await blocking { try CurlTransport().get(url: base + "/healthz", headers: [], timeoutMs: 500, connectTimeoutMs: 200).status }) == 200
            if !healthy { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(healthy, "the collector did not come up on port \(port)")

        var config = AgentConfig()
        config.collectorURL = base
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = "ws-cli"
        config.pseudonymKey = "binary-collector-key-0001"
        config.spoolPath = dir.file("spool.sqlite")
        config.enrolmentToken = enrolmentToken
        let result = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)
            try spool.append(contentsOf: (0..<20).map { _ in Fixtures.event() })
            return try Uploader(spool: spool, config: config, transport: CurlTransport()).drain()
        }
        #expect(result == .acknowledged(accepted: 20, duplicates: 0, rejected: 0))

        let backup = try await run(deskready, ["backup", "--db", db, "--to", dir.file("backup.sqlite")])
        #expect(backup.status == 0, "\(backup.stderr)")
        let check = try await run(deskready, ["check", "--db", dir.file("backup.sqlite")])
        #expect(check.status == 0)
        #expect(check.stdout.contains("integrity check ok"))
        let devices = try await run(deskready, ["device", "list", "--db", db])
        #expect(devices.stdout.contains("RXX\tws-cli\tRXX01\tactive"))

        // A reader token expires in a year by default; reading a report is audited; rotation retires the old token.
        let reader = try await run(deskready, ["token", "create", "--role", "reader", "--trust", "RXX", "--label", "CIO", "--db", db])
        #expect(reader.status == 0, "\(reader.stderr)")
        let readerToken = reader.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inAYear = CivilDay.format(WallClock.nowMs() + 365 * UTCTime.dayMs)
        #expect(reader.stderr.contains("it expires on \(inAYear)"))
        #expect(reader.stderr.contains("\"action\"") || reader.stderr.contains("action=token.create") || reader.stderr.contains("token.create"),
                "the CLI writes an audit line: \(reader.stderr)")
        func reportStatus(_ token: String) async throws -> Int {
            try await blocking { try CurlTransport().get(url: base + "/v1/trusts/RXX/report?format=csv", headers: ["Authorization: Bearer \(token)"],
                                                         timeoutMs: 20_000, connectTimeoutMs: 1_000).status }
        }
        #expect(try await reportStatus(readerToken) == 200)
        // Uses are written a second after they are noted, off the request's path.
        var listed = try await run(deskready, ["token", "list", "--db", db])
        for _ in 0..<30 where listed.stdout.contains("\tnever\tCIO") {
            try await Task.sleep(for: .milliseconds(200))
            listed = try await run(deskready, ["token", "list", "--db", db])
        }
        let readerLine = listed.stdout.split(separator: "\n").first { $0.contains("\treader\t") && $0.hasSuffix("\tCIO") }
        #expect(readerLine?.contains("\t\(inAYear)\t") == true, "\(listed.stdout)")
        #expect(readerLine?.contains("\tnever\tCIO") == false, "the last use is recorded: \(listed.stdout)")
        let readerId = String(readerLine?.split(separator: "\t").first ?? "")
        let rotated = try await run(deskready, ["token", "rotate", readerId, "--db", db])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let newToken = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newToken.hasPrefix("drr_") && newToken != readerToken)
        #expect(try await reportStatus(readerToken) == 401)
        #expect(try await reportStatus(newToken) == 200)

        server.terminate()  // SIGTERM
        try await blocking { server.waitUntilExit() }
        #expect(server.terminationReason == .exit)
        #expect(server.terminationStatus == 0)
        let log = String(decoding: serverLog.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let objects = try log.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!objects.isEmpty && objects.allSatisfy { $0?["level"] != nil && $0?["ts"] != nil }, "every log line is a JSON object")
        #expect(objects.contains { $0?["msg"] as? String == "collector listening" })
        let audits = objects.compactMap { $0 }.filter { ($0["action"] as? String) == "report.read" }
        #expect(audits.count == 2, "one audit line per report read: \(log.suffix(2000))")
        #expect(audits.allSatisfy { ($0["trust"] as? String) == "RXX" && ($0["format"] as? String) == "csv" && ($0["actor"] as? String)?.hasPrefix("reader#") == true })
        // Names and the estate: sites named, the estate recorded, both in the report; the device table for IT ops.
        #expect(try await run(deskready, ["site", "add", "--trust", "RXX", "RXX01", "--name", "General Hospital", "--db", db]).status == 0)
        let wrongSite = try await run(deskready, ["site", "add", "--trust", "RXX", "RYY01", "--name", "Elsewhere", "--db", db])
        #expect(wrongSite.status != 0)
        #expect(wrongSite.stderr.contains("beginning with RXX"), "\(wrongSite.stderr)")
        let unknownTrust = try await run(deskready, ["trust", "set", "RZZ", "--estate-size", "10", "--db", db])
        #expect(unknownTrust.status != 0)
        #expect(unknownTrust.stderr.contains("trust add RZZ"), "\(unknownTrust.stderr)")
        #expect(try await run(deskready, ["trust", "set", "RXX", "--estate-size", "40", "--db", db]).status == 0)
        #expect(try await run(deskready, ["site", "list", "--db", db]).stdout.contains("RXX\tRXX01\tGeneral Hospital\t-"))
        let report = try await run(deskready, ["report", "--db", db, "--trust", "RXX"])
        #expect(report.status == 0)
        #expect(report.stdout.contains("Trust Test Hospitals NHS Trust (RXX)"))
        #expect(report.stdout.contains("of 40 in the estate"))
        #expect(report.stdout.contains("Staff time lost:"))
        // Every trust, written trust by trust: to standard output, and to a file that appears only when whole.
        let everyTrust = try await run(deskready, ["report", "--db", db, "--format", "json"])
        #expect(everyTrust.status == 0, "\(everyTrust.stderr)")
        let decoded = try GradedJSONRenderer().decode(everyTrust.stdout)
        #expect(decoded.trusts.map(\.trust).contains("RXX") && decoded.trusts.first?.name == "Test Hospitals NHS Trust")
        let csvPath = dir.file("every-trust.csv")
        let csv = try await run(deskready, ["report", "--db", db, "--format", "csv", "--out", csvPath])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try String(contentsOfFile: csvPath, encoding: .utf8).hasPrefix("model_id,model_version"))
        #expect(!FileManager.default.fileExists(atPath: csvPath + ".partial"))
        let table = try await run(deskready, ["device", "table", "--trust", "RXX", "--db", db])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("device_id,site,vendor,model"))
    }

    @Test("serve reads collector.yaml, and names every wrong key and value in it")
    func configFile() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-config")
        defer { dir.remove() }
        let bad = dir.file("bad.yaml")
        try "listen: 127.0.0.1:1\nmax_pending_batches: lots\ncolour: blue\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try await run(deskready, ["serve", "--config", bad])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("max_pending_batches (line 2): must be a whole number"))
        #expect(refused.stderr.contains("colour (line 3): not a known option"))

        // The commented example, pointed at a temporary database and port, starts and serves.
        let example = BuiltProducts.packageRoot.appendingPathComponent("collector/collector.yaml").path
        let port = try freeLoopbackPort()
        let server = try await CollectorProcess(database: dir.file("c.sqlite"), port: port, arguments: ["--config", example])
        #expect(server.process.isRunning)
        try await server.stop()
        #expect(FileManager.default.fileExists(atPath: dir.file("c.sqlite")))
    }

    @Test("baseline save, list, report beside it, and delete, with clear refusals")
    func baselines() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-baseline")
        defer { dir.remove() }
        let db = dir.file("collector.sqlite")
        let store = try SQLiteMeasurementStore(path: db)
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let events = (1...15).map { Fixtures.event(durationMs: Int64($0) * 4_000) }
        try await store.ingest(events)

        let saved = try await run(deskready, ["baseline", "save", "--db", db, "--trust", "RXX", "--name", "before-rollout"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("Saved baseline 'before-rollout' of RXX"))
        let again = try await run(deskready, ["baseline", "save", "--db", db, "--trust", "RXX", "--name", "before-rollout"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already has a baseline named 'before-rollout'"))
        let list = try await run(deskready, ["baseline", "list", "--db", db, "--trust", "RXX"])
        #expect(list.stdout.hasPrefix("before-rollout\t"))
        let report = try await run(deskready, ["report", "--db", db, "--trust", "RXX", "--baseline", "before-rollout", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\"baseline\""))
        let missing = try await run(deskready, ["report", "--db", db, "--trust", "RXX", "--baseline", "nope"])
        #expect(missing.stderr.contains("trust RXX has no baseline named 'nope'; it has: before-rollout"))
        let badName = try await run(deskready, ["baseline", "save", "--db", db, "--trust", "RXX", "--name", "no spaces"])
        #expect(badName.stderr.contains("--name 'no spaces' must be 1 to 64 letters"))
        #expect(try await run(deskready, ["baseline", "delete", "--db", db, "--trust", "RXX", "--name", "before-rollout"]).status == 0)
        let gone = try await run(deskready, ["baseline", "delete", "--db", db, "--trust", "RXX", "--name", "before-rollout"])
        #expect(gone.status != 0)
        #expect(gone.stderr.contains("has no baseline named 'before-rollout'"))
    }

    @Test("Command-line mistakes are one clear line each")
    func mistakes() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let listen = try await run(deskready, ["serve", "--listen", "localhost"])
        #expect(listen.status != 0)
        #expect(listen.stderr.contains("must be HOST:PORT"))
        let noDatabase = try await run(deskready, ["device", "list", "--db", "/nonexistent/x.sqlite"])
        #expect(noDatabase.stderr.contains("no database at /nonexistent/x.sqlite"))
        let tls = try await run(deskready, ["serve", "--tls-cert", "/tmp/c.pem"])
        #expect(tls.stderr.contains("--tls-cert and --tls-key go together"))
    }

    @Test("migrate creates or updates a store's schema and says so; --store names the store as --db does")
    func migrate() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-migrate")
        defer { dir.remove() }
        let db = dir.file("collector.sqlite")
        for _ in 0..<2 {
            let result = try await run(deskready, ["migrate", "--store", "sqlite:\(db)"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("schema up to date"))
        }
        let added = try await run(deskready, ["trust", "add", "RXX", "--name", "Test", "--store", db])
        #expect(added.status == 0, "\(added.stderr)")
        let bad = try await run(deskready, ["migrate", "--store", "mysql://x/y"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("is not a store location"))
    }
}
