import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// The responsive decision is kept in the spool's marks, so a daemon restarted between the decision and the
/// logon's assembly still names the rule.
@Suite("Responsive decision across a restart")
struct ResponsiveRestartTests {
    /// The daemon's sources over a spool, with scripted CPU loads and no inventory.
    func sources(_ spool: Spool, loads: [Int], waitSeconds: Int = 120) -> MeasurementSources {
        var config = AgentConfig()
        config.markDropDir = spool.path + ".marks"
        config.responsiveWaitSeconds = waitSeconds
        config.logindLogons = false
        let cpu = ScriptedCPU.loads(loads)
        let watcher = ResponsiveWatcher(rule: config.responsiveRule, waitMs: Int64(waitSeconds) * 1000, currentBootId: "boot-1") { cpu.next() }
        return MeasurementSources(config: config, spool: spool, log: { _ in }, responsive: watcher,
                                  inventory: InventoryRecorder(spool: spool, intervalHours: 24, settleMs: .max / 2))
    }

    func recordLogonStart(_ spool: Spool, _ clock: ManualClock) throws {
        try spool.recordMark(LogonMark(name: "session_open", session: "4", user: "p1", sessionType: "x11",
                                       wallMs: clock.nowMs(), monotonicMs: clock.monotonicMs(), bootId: "boot-1"))
        clock.advance(6_000)
        try spool.recordMark(LogonMark(name: "desktop_ready", session: "4", user: "p1", sessionType: "x11",
                                       wallMs: clock.nowMs(), monotonicMs: clock.monotonicMs(), bootId: "boot-1"))
    }

    @Test("A responsive mark recorded before a restart still names the rule in the logon joined after it")
    func restartAfterResponsive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let path = dir.file("spool.sqlite")
        do {
            let spool = try Spool(path: path, clock: clock)
            try recordLogonStart(spool, clock)
            let before = sources(spool, loads: Array(repeating: 5, count: 12))
            for _ in 0..<10 where try spool.openMarks().count < 3 {
                clock.advance(500)
                try before.prepareMarks()
            }
            #expect(try spool.openMarks().last?.attributes[LogonAttribute.responsiveRule] == "cpu<50%/2s")
        }
        // The daemon restarts: a new process with a new watcher, which never saw the decision.
        let spool = try Spool(path: path, clock: clock)
        clock.advance(1_000)
        try sources(spool, loads: []).prepareMarks()
        let (events, consumed) = LogonAssembler().assemble(try spool.openMarks(), nowMs: clock.nowMs())
        try spool.completeLogons(events, consumedMarkIDs: consumed)
        let logon = try #require(events.first)
        #expect(logon.attributes?["end"] == "responsive")
        #expect(logon.attributes?[LogonAttribute.responsiveRule] == "cpu<50%/2s")
        #expect(logon.attributes?["responsive_reached"] == nil)
        #expect(try spool.openMarks().isEmpty)
    }

    @Test("A desktop given up on before a restart is still stored as not reached, under the rule")
    func restartAfterGivingUp() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let path = dir.file("spool.sqlite")
        do {
            let spool = try Spool(path: path, clock: clock)
            try recordLogonStart(spool, clock)
            let before = sources(spool, loads: Array(repeating: 99, count: 20), waitSeconds: 3)
            for _ in 0..<8 {
                clock.advance(500)
                try before.prepareMarks()
            }
            #expect(!before.responsive.isWatching)
        }
        let spool = try Spool(path: path, clock: clock)
        clock.advance(1_000)
        try sources(spool, loads: [], waitSeconds: 3).prepareMarks()
        let (events, _) = LogonAssembler(responsiveWaitMs: 3_000).assemble(try spool.openMarks(), nowMs: clock.nowMs())
        let logon = try #require(events.first)
        #expect(logon.attributes?["end"] == "desktop_ready")
        #expect(logon.attributes?[LogonAttribute.responsiveRule] == "cpu<50%/2s")
        #expect(logon.attributes?["responsive_reached"] == "no")
    }

    @Test("A responsive mark the watcher did not make is named `mark`")
    func foreignResponsiveMark() throws {
        let marks = [
            LogonMark(id: 1, name: "session_open", session: "4", user: "p1", wallMs: 1_000, monotonicMs: 1_000, bootId: "b"),
            LogonMark(id: 2, name: "responsive", session: "4", user: "p1", wallMs: 5_000, monotonicMs: 5_000, bootId: "b"),
        ]
        let logon = try #require(LogonAssembler().assemble(marks, nowMs: 6_000).events.first)
        #expect(logon.attributes?[LogonAttribute.responsiveRule] == "mark")
    }

    @Test("Mark attributes round-trip through the spool; local facts never reach a stored event")
    func attributesInTheSpool() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        try spool.recordMark(LogonMark(name: "desktop_ready", session: "4", user: "p1", wallMs: 1_000, monotonicMs: 1_000, bootId: "b",
                                       attributes: [LocalFact.uid: "1000", "note": "a=b\nc"]))
        var mark = try #require(try spool.openMarks().first)
        #expect(mark.attributes == [LocalFact.uid: "1000", "note": "a=b c"])
        try spool.annotateMark(id: mark.id, with: ["responsive_reached": "no"])
        mark = try #require(try spool.openMarks().first)
        #expect(mark.attributes["responsive_reached"] == "no")
        #expect(mark.attributes[LocalFact.uid] == "1000")
        let event = MeasurementEvent(kind: .logon, name: "x11", startedAtMs: 1_790_000_000_000, durationMs: 1,
                                     attributes: ["source": "marks", LocalFact.uid: "1000", LocalFact.homeCreatedMs: "5"])
        try spool.completeLogons([event], consumedMarkIDs: [mark.id])
        let batch = try #require(try spool.nextBatch(maxEvents: 10, maxBytes: 1 << 20))
        let stored = String(decoding: batch.events[0].json, as: UTF8.self)
        #expect(stored.contains("\"source\""))
        #expect(!stored.contains("_uid"))
        #expect(!stored.contains("_home_created_ms"))
    }

    @Test("A spool of schema version 1 is upgraded in place, keeping its marks",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func upgradesVersion1() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("old.sqlite")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, """
            CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id BLOB NOT NULL, kind TEXT NOT NULL, created_ms INTEGER NOT NULL, size INTEGER NOT NULL, body BLOB NOT NULL);
            CREATE TABLE outbox (batch_id TEXT PRIMARY KEY, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE dead_letter (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL, event_id BLOB, body BLOB, status INTEGER NOT NULL, reason TEXT NOT NULL, created_ms INTEGER NOT NULL);
            CREATE TABLE marks (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, session TEXT, user TEXT, session_type TEXT, wall_ms INTEGER NOT NULL, mono_ms INTEGER NOT NULL, boot_id TEXT NOT NULL);
            CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO marks (name, session, user, session_type, wall_ms, mono_ms, boot_id) VALUES ('auth_start', '3', 'p9', 'x11', 10, 10, 'b');
            PRAGMA user_version = 1;
            """]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let clock = ManualClock()
        let spool = try Spool(path: path, clock: clock)
        let marks = try spool.openMarks()
        #expect(marks.map(\.user) == ["p9"])
        #expect(marks.first?.attributes == [:])
        try spool.recordMark(LogonMark(name: "desktop_ready", session: "3", user: "p9", wallMs: 20, monotonicMs: 20, bootId: "b", attributes: ["k": "v"]))
        #expect(try Spool(path: path).openMarks().last?.attributes == ["k": "v"])
    }
}
