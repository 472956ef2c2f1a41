import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Synchronization
import Testing

/// CPU counters a test hands out one by one, as `/proc/stat` would show them.
final class ScriptedCPU: Sendable {
    private let readings: Mutex<[CPUTimes]>
    init(_ readings: [CPUTimes]) { self.readings = Mutex(readings) }
    func next() -> CPUTimes? { readings.withLock { $0.isEmpty ? nil : $0.removeFirst() } }

    /// Counters for consecutive intervals of 100 ticks each at the given loads (percent).
    static func loads(_ percents: [Int]) -> ScriptedCPU {
        var busy: UInt64 = 10_000
        var total: UInt64 = 50_000
        var readings = [CPUTimes(busy: busy, total: total)]
        for percent in percents {
            busy += UInt64(percent)
            total += 100
            readings.append(CPUTimes(busy: busy, total: total))
        }
        return ScriptedCPU(readings)
    }
}

@Suite("Responsive desktop")
struct ResponsiveDesktopTests {
    /// Captured from a Debian 12 workstation with two CPUs.
    static let procStat = """
        cpu  341155 185 51457 185094 1640 0 444 168 0 0
        cpu0 164695 79 25066 99573 443 0 61 83 0 0
        cpu1 176459 106 26390 85520 1196 0 383 84 0 0
        intr 21318047 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
        ctxt 38744812
        btime 1795600000
        processes 25082
        procs_running 3
        procs_blocked 0
        softirq 9874561 0 2074395 35 1297440 0 0 4418 3386711 0 3111562
        """

    @Test("/proc/stat's cpu line gives busy and total ticks, leaving idle and iowait out of busy")
    func parseProcStat() throws {
        let times = try #require(CPUTimes.parse(procStat: Self.procStat))
        #expect(times.total == 341_155 + 185 + 51_457 + 185_094 + 1_640 + 0 + 444 + 168)
        #expect(times.busy == times.total - 185_094 - 1_640)
        #expect(CPUTimes.parse(procStat: "intr 1 2 3\n") == nil)
    }

    @Test("Two readings give the share of CPU used between them")
    func busyPercent() {
        let a = CPUTimes(busy: 1_000, total: 4_000)
        let b = CPUTimes(busy: 1_030, total: 4_200)
        #expect(CPUTimes.busyPercent(from: a, to: b) == 15)
        #expect(CPUTimes.busyPercent(from: a, to: a) == nil)
    }

    @Test("The running system's counters can be read")
    func readsLiveCounters() throws {
        let times = try #require(CPUTimes.read())
        #expect(times.total >= times.busy)
    }

    @Test("The quiet window ends at the start of the first stretch that stays under the threshold for the window")
    func quietWindow() {
        var window = QuietWindow(thresholdPercent: 50, windowMs: 2_000)
        #expect(window.add(percent: 90, fromMs: 0, toMs: 500) == nil)
        #expect(window.add(percent: 20, fromMs: 500, toMs: 1_000) == nil)
        #expect(window.add(percent: 30, fromMs: 1_000, toMs: 1_500) == nil)
        // A busy moment starts the wait again.
        #expect(window.add(percent: 50, fromMs: 1_500, toMs: 2_000) == nil)
        #expect(window.add(percent: 10, fromMs: 2_000, toMs: 3_000) == nil)
        #expect(window.add(percent: 10, fromMs: 3_000, toMs: 3_900) == nil)
        #expect(window.add(percent: 10, fromMs: 3_900, toMs: 4_000) == 2_000)
    }

    @Test("The rule is named with its thresholds")
    func ruleName() {
        #expect(ResponsiveRule().name == "cpu<50%/2s")
        #expect(ResponsiveRule(cpuPercent: 40, windowMs: 1_500).name == "cpu<40%/1.5s")
        var config = AgentConfig()
        config.responsiveCPUPercent = 30
        config.responsiveWindowSeconds = 3
        #expect(config.responsiveRule.name == "cpu<30%/3s")
    }

    func readyMark(id: Int64, at mono: Int64, wall: Int64, user: String? = "u1", session: String? = "7") -> LogonMark {
        LogonMark(id: id, name: "desktop_ready", session: session, user: user, sessionType: "x11", wallMs: wall, monotonicMs: mono, bootId: "boot-1")
    }

    @Test("After desktop ready the watcher marks the desktop responsive at the start of the quiet window")
    func watcherMarksResponsive() throws {
        // Steps every 500 ms: busy, busy, then quiet for good.
        let cpu = ScriptedCPU.loads([95, 80, 30, 20, 10, 10, 10, 10])
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 120_000, currentBootId: "boot-1") { cpu.next() }
        let wall0: Int64 = 1_790_000_000_000
        let ready = readyMark(id: 3, at: 50_000, wall: wall0)
        var produced: [LogonMark] = []
        for step in 0..<9 where produced.isEmpty {
            let offset = Int64(step) * 500
            produced = watcher.step(openMarks: [ready], nowWallMs: wall0 + 200 + offset, nowMonoMs: 50_200 + offset).marks
            #expect(watcher.isWatching == produced.isEmpty)
        }
        let mark = try #require(produced.first)
        #expect(mark.milestone == .responsive)
        // Quiet from the sample at 50_200 + 2 * 500 (the end of the last busy interval) for 2 s.
        #expect(mark.monotonicMs == 51_200)
        #expect(mark.wallMs == wall0 + 1_200)
        #expect(mark.user == "u1")
        #expect(mark.session == "7")
        #expect(mark.bootId == "boot-1")
    }

    @Test("The logon built from the marks carries the responsive phase and names the rule")
    func logonNamesRule() throws {
        let cpu = ScriptedCPU.loads([90, 10, 10, 10, 10, 10])
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(cpuPercent: 50, windowMs: 1_000), waitMs: 120_000, currentBootId: "boot-1") { cpu.next() }
        let wall0: Int64 = 1_790_000_000_000
        var marks = [
            LogonMark(id: 1, name: "auth_done", session: nil, user: "u1", sessionType: "x11", wallMs: wall0 - 10_000, monotonicMs: 40_000, bootId: "boot-1"),
            LogonMark(id: 2, name: "session_open", session: "7", user: "u1", sessionType: "x11", wallMs: wall0 - 8_000, monotonicMs: 42_000, bootId: "boot-1"),
            readyMark(id: 3, at: 50_000, wall: wall0),
        ]
        var produced: [LogonMark] = []
        for step in 0..<6 where produced.isEmpty {
            let offset = Int64(step) * 500
            produced = watcher.step(openMarks: marks, nowWallMs: wall0 + offset, nowMonoMs: 50_000 + offset).marks
        }
        var responsive = try #require(produced.first)
        responsive.id = 4
        marks.append(responsive)
        let (events, consumed) = LogonAssembler().assemble(marks, nowMs: wall0 + 5_000)
        let logon = try #require(events.first)
        #expect(consumed.sorted() == [1, 2, 3, 4])
        #expect(logon.phases?["responsive"] == 500)
        #expect(logon.phases?["session_start"] == 8_000)
        #expect(logon.durationMs == 10_500)
        #expect(logon.attributes?["responsive_rule"] == "cpu<50%/1s")
        #expect(logon.attributes?["responsive_reached"] == nil)
    }

    @Test("A desktop whose CPU never settles is given up after the wait, and its logon says so")
    func neverSettles() throws {
        let cpu = ScriptedCPU.loads(Array(repeating: 99, count: 10))
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 3_000, currentBootId: "boot-1") { cpu.next() }
        let wall0: Int64 = 1_790_000_000_000
        var ready = readyMark(id: 3, at: 50_000, wall: wall0)
        for step in 0..<8 {
            let offset = Int64(step) * 500
            let result = watcher.step(openMarks: [ready], nowWallMs: wall0 + offset, nowMonoMs: 50_000 + offset)
            #expect(result.marks.isEmpty)
            ready.attributes.merge(result.annotations[3] ?? [:]) { _, new in new }
        }
        #expect(!watcher.isWatching)
        let (events, _) = LogonAssembler(responsiveWaitMs: 3_000).assemble([ready], nowMs: wall0 + 4_000)
        let logon = try #require(events.first)
        #expect(logon.attributes?["responsive_rule"] == "cpu<50%/2s")
        #expect(logon.attributes?["responsive_reached"] == "no")
    }

    @Test("Ready marks of an earlier boot, or already answered by a responsive mark, are not watched")
    func ignoresOtherBootsAndAnswered() {
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 120_000, currentBootId: "boot-2") { CPUTimes(busy: 0, total: 1) }
        let old = readyMark(id: 1, at: 50_000, wall: 1_790_000_000_000)
        #expect(watcher.step(openMarks: [old], nowWallMs: 1_790_000_001_000, nowMonoMs: 51_000).marks.isEmpty)
        #expect(!watcher.isWatching)
        let current = LogonMark(id: 2, name: "desktop_ready", session: "9", user: "u2", wallMs: 1_790_000_000_000, monotonicMs: 60_000, bootId: "boot-2")
        let answered = LogonMark(id: 3, name: "responsive", session: "9", user: "u2", wallMs: 1_790_000_002_000, monotonicMs: 62_000, bootId: "boot-2")
        #expect(watcher.step(openMarks: [current, answered], nowWallMs: 1_790_000_003_000, nowMonoMs: 63_000).marks.isEmpty)
        #expect(!watcher.isWatching)
    }

    @Test("The daemon's sources record the responsive mark in the spool, and the joined logon names the rule")
    func throughTheSpool() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        var config = AgentConfig()
        config.markDropDir = dir.path
        let cpu = ScriptedCPU.loads(Array(repeating: 5, count: 12))
        let watcher = ResponsiveWatcher(rule: config.responsiveRule, waitMs: 120_000, currentBootId: "boot-1") { cpu.next() }
        let sources = MeasurementSources(config: config, spool: spool, log: { _ in }, responsive: watcher,
                                         inventory: InventoryRecorder(spool: spool, intervalHours: 24, settleMs: .max / 2))
        try spool.recordMark(LogonMark(name: "session_open", session: "4", user: "p1", sessionType: "wayland",
                                       wallMs: clock.nowMs(), monotonicMs: clock.monotonicMs(), bootId: "boot-1"))
        clock.advance(6_000)
        try spool.recordMark(LogonMark(name: "desktop_ready", session: "4", user: "p1", sessionType: "wayland",
                                       wallMs: clock.nowMs(), monotonicMs: clock.monotonicMs(), bootId: "boot-1"))
        let assembler = LogonAssembler()
        var stored: [MeasurementEvent] = []
        for _ in 0..<10 where stored.isEmpty {
            clock.advance(500)
            try sources.prepareMarks()
            let (events, consumed) = assembler.assemble(try spool.openMarks(), nowMs: clock.nowMs())
            stored = events
            try spool.completeLogons(stored, consumedMarkIDs: consumed)
        }
        let logon = try #require(stored.first)
        #expect(logon.attributes?["end"] == "responsive")
        #expect(logon.attributes?["responsive_rule"] == "cpu<50%/2s")
        #expect(logon.phases?["session_start"] == 6_000)
        #expect(try spool.openMarks().isEmpty)
        #expect(try spool.status().depth == 1)
    }

    @Test("The responsive rule is configured, and wrong values are named")
    func config() {
        let (config, problems) = AgentConfigLoader.parse("responsive_cpu_percent: 40\nresponsive_window_seconds: 1.5\n")
        #expect(problems.isEmpty)
        #expect(config.responsiveRule == ResponsiveRule(cpuPercent: 40, windowMs: 1_500))
        let (_, wrong) = AgentConfigLoader.parse("responsive_cpu_percent: 150\nresponsive_window_seconds: 0\n", source: "agent.yaml")
        #expect(wrong.count == 2)
        #expect(wrong[0].contains("responsive_cpu_percent must be a whole number from 1 to 100"))
        #expect(wrong[1].contains("responsive_window_seconds must be a number of seconds from 0.5 to 60"))
    }
}
