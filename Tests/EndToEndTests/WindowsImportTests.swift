import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// `deskready import windows-events`, run as an administrator runs it.
@Suite("deskready import windows-events")
struct WindowsImportTests {
    static let fixtures = BuiltProducts.packageRoot.appendingPathComponent("Tests/DeskReadyWindowsEventsTests/Fixtures").path

    /// A fixture moved to two and one days ago, so the collector's 30-day window accepts its events.
    static func recent(_ name: String, into dir: TemporaryDirectory) throws -> String {
        let dayMs: Int64 = 86_400_000
        let today = WallClock.nowMs() / dayMs
        func civil(_ day: Int64) -> String {
            let z = day + 719_468, era = z / 146_097, doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
            return String(format: "%04lld-%02lld-%02lld", yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
        }
        let text = try String(contentsOfFile: fixtures + "/" + name, encoding: .utf8)
            .replacingOccurrences(of: "2026-11-02", with: civil(today - 2)).replacingOccurrences(of: "2026-11-03", with: civil(today - 1))
        let path = dir.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("A dry run prints each boot and logon as one wire-format JSON line with a pseudonymised user, the same ids every time")
    func dryRun() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-import")
        defer { dir.remove() }
        try "import-test-key-0000000001\n".write(toFile: dir.file("key"), atomically: true, encoding: .utf8)
        try "pattern,site\nws-0003,RXX02\n".write(toFile: dir.file("sites.csv"), atomically: true, encoding: .utf8)
        let export = try Self.recent("wef-two-computers.xml", into: dir)
        let arguments = ["import", "windows-events", "--trust", "RXX", "--site", "RXX01", "--site-map", dir.file("sites.csv"),
                         "--pseudonym-key-file", dir.file("key"), "--dry-run", export]
        let first = try await run(deskready, arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n")
        let events = try lines.map { try WireCoding.decoder().decode(MeasurementEvent.self, from: Data($0.utf8)) }
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.kind == .logon && $0.outcome == .ok && $0.phases?["desktop_ready"] != nil })
        #expect(events.allSatisfy { $0.user?.utf8.count == 32 })
        #expect(!first.stdout.contains("anew") && !first.stdout.contains("S-1-5-21"))
        #expect(first.stderr.contains("ws-0002 (site RXX01)"))
        #expect(first.stderr.contains("ws-0003 (site RXX02)"))
        let second = try await run(deskready, arguments)
        #expect(second.stdout == first.stdout)
    }

    @Test("Mistakes in the options or inputs say what is wrong and how to fix it")
    func mistakes() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-import")
        defer { dir.remove() }
        try "short".write(toFile: dir.file("short-key"), atomically: true, encoding: .utf8)
        try "import-test-key-0000000001".write(toFile: dir.file("key"), atomically: true, encoding: .utf8)
        try "ws-*,RYY01\n".write(toFile: dir.file("bad-sites.csv"), atomically: true, encoding: .utf8)
        let export = Self.fixtures + "/fast-logon.xml"
        let base = ["import", "windows-events", "--trust", "RXX", "--site", "RXX01"]
        let cases: [([String], String)] = [
            (base + ["--pseudonym-key-file", dir.file("key"), export], "--dry-run"),
            (base + ["--pseudonym-key-file", dir.file("short-key"), "--dry-run", export], "at least 16 characters"),
            (base + ["--pseudonym-key-file", dir.file("missing"), "--dry-run", export], "cannot read --pseudonym-key-file"),
            (base + ["--pseudonym-key-file", dir.file("key"), "--site-map", dir.file("bad-sites.csv"), "--dry-run", export], "bad-sites.csv:1"),
            (base + ["--pseudonym-key-file", dir.file("key"), "--dry-run", dir.file("nothing.xml")], "wevtutil qe"),
            (["import", "windows-events", "--trust", "RXX", "--site", "RYY01", "--pseudonym-key-file", dir.file("key"), "--dry-run", export], "beginning with RXX"),
        ]
        for (arguments, expected) in cases {
            let result = try await run(deskready, arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }

    @Test("An Event Forwarding export of several computers becomes pseudonymised logons with phases and boots in the trust's report, exactly once")
    func importIntoCollector() async throws {
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-import")
        defer { dir.remove() }
        let db = dir.file("collector.sqlite")
        #expect(try await run(deskready, ["trust", "add", "RXX", "--name", "Test Hospitals NHS Trust", "--db", db]).status == 0)
        let issued = try await run(deskready, ["token", "create", "--role", "importer", "--trust", "RXX", "--db", db])
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = try #require(issued.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("dri_") }.map(String.init))
        // A generated forwarded-events export (4 computers, recent days), as `deskready bench import` writes it.
        let export = dir.file("forwarded.xml")
        let generated = try await run(deskready, ["bench", "import", "--megabytes", "1", "--computers", "4", "--keep", export])
        #expect(generated.status == 0, "\(generated.stderr)")
        try "import-test-key-0000000001".write(toFile: dir.file("key"), atomically: true, encoding: .utf8)
        let collector = try await CollectorProcess(database: db, port: try freeLoopbackPort())
        defer { collector.process.terminate() }
        func importOnce(state: String) async throws -> ProcessResult {
            try await run(deskready, ["import", "windows-events", "--trust", "RXX", "--site", "RXX01", "--pseudonym-key-file", dir.file("key"),
                                      "--collector", collector.url, "--token", token, "--state", state, export])
        }
        let first = try await importOnce(state: dir.file("state"))
        #expect(first.status == 0, "\(first.stderr)")
        let sent = try #require(first.stdout.range(of: #"sent (\d+) events: (\d+) stored, 0 already stored"#, options: .regularExpression), "\(first.stdout)")
        let numbers = first.stdout[sent].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 3 && numbers[0] == numbers[1] && numbers[0] > 20)
        #expect(first.stdout.contains("ws-00003 (site RXX01)"))
        // The same export again with the state: nothing is sent. With a fresh state: sent, and all already stored.
        let again = try await importOnce(state: dir.file("state"))
        #expect(again.stdout.contains("sent 0 events"), "\(again.stdout)")
        #expect(again.stdout.contains("records already read"))
        let fresh = try await importOnce(state: dir.file("other-state"))
        #expect(fresh.stdout.contains("sent \(numbers[0]) events: 0 stored, \(numbers[0]) already stored"), "\(fresh.stdout)")
        try await collector.stop()

        let report = try await run(deskready, ["report", "--db", db, "--trust", "RXX", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        for phase in ["profile_load", "group_policy", "shell_start", "desktop_ready", "authentication"] {
            #expect(report.stdout.contains("\"\(phase)\""), "\(phase) missing from the report's phase medians")
        }
        let html = try await run(deskready, ["report", "--db", db, "--trust", "RXX", "--format", "html"])
        #expect(html.stdout.contains("profile load") && html.stdout.contains("desktop ready"))
    }
}
