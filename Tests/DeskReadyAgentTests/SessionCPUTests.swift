import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Responsive rule on the session's CPU")
struct SessionCPUTests {
    /// `/sys/fs/cgroup/user.slice/user-1000.slice/cpu.stat` captured on Ubuntu 24.04 (Linux 6.8).
    static let cpuStat = """
        usage_usec 98765432
        user_usec 70123456
        system_usec 28641976
        core_sched.force_idle_usec 0
        nr_periods 0
        nr_throttled 0
        throttled_usec 0
        nr_bursts 0
        burst_usec 0
        """

    @Test("cpu.stat's usage_usec is the slice's CPU time; other lines and text without it give nothing")
    func parse() {
        #expect(CgroupCPU.usageUsec(cpuStat: Self.cpuStat) == 98_765_432)
        #expect(CgroupCPU.usageUsec(cpuStat: "user_usec 5\nsystem_usec 6\n") == nil)
        #expect(CgroupCPU.usageUsec(cpuStat: "") == nil)
    }

    @Test("A user's slice is read as busy microseconds against time passed times the CPUs; no slice is nil")
    func readSlice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("user.slice/user-1000.slice"), withIntermediateDirectories: true)
        try Self.cpuStat.write(toFile: dir.file("user.slice/user-1000.slice/cpu.stat"), atomically: true, encoding: .utf8)
        let cgroup = CgroupCPU(root: dir.path, cores: 4)
        #expect(cgroup.path(uid: 1000) == dir.path + "/user.slice/user-1000.slice/cpu.stat")
        #expect(cgroup.read(uid: 1000, monotonicUs: 5_000_000) == CPUTimes(busy: 98_765_432, total: 20_000_000))
        #expect(cgroup.read(uid: 1001, monotonicUs: 5_000_000) == nil)
        // Two readings half a second apart, the slice using 0.4 s of CPU on 4 CPUs: 20%.
        let later = CPUTimes(busy: 98_765_432 + 400_000, total: 22_000_000)
        #expect(CPUTimes.busyPercent(from: try #require(cgroup.read(uid: 1000, monotonicUs: 5_000_000)), to: later) == 20)
    }

    /// Slice counters for consecutive 500 ms intervals on 2 CPUs at the given loads (percent of both CPUs).
    static func sliceLoads(_ percents: [Int]) -> ScriptedCPU {
        var busy: UInt64 = 1_000_000
        var total: UInt64 = 100_000_000
        var readings = [CPUTimes(busy: busy, total: total)]
        for percent in percents {
            busy += UInt64(percent) * 10_000
            total += 1_000_000
            readings.append(CPUTimes(busy: busy, total: total))
        }
        return ScriptedCPU(readings)
    }

    func ready(uid: String?) -> LogonMark {
        LogonMark(id: 3, name: "desktop_ready", session: "7", user: "u1", sessionType: "x11", wallMs: 1_790_000_000_000,
                  monotonicMs: 50_000, bootId: "boot-1", attributes: uid.map { [LocalFact.uid: $0] } ?? [:])
    }

    func run(_ watcher: ResponsiveWatcher, _ mark: LogonMark, steps: Int = 12) -> LogonMark? {
        for step in 0..<steps {
            let offset = Int64(step) * 500
            if let produced = watcher.step(openMarks: [mark], nowWallMs: 1_790_000_000_000 + offset, nowMonoMs: 50_000 + offset).marks.first {
                return produced
            }
        }
        return nil
    }

    @Test("With the user's slice, a quiet session on a busy machine is responsive, and the logon says the session's CPU was watched")
    func sessionSlice() throws {
        let machine = ScriptedCPU.loads(Array(repeating: 95, count: 20))
        let slice = Self.sliceLoads([90, 60, 10, 10, 10, 10, 10, 10, 10])
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 120_000, currentBootId: "boot-1", readCPU: { machine.next() },
                                        readSessionCPU: { $0 == 1000 ? slice.next() : nil })
        let mark = try #require(run(watcher, ready(uid: "1000")))
        // The first slice reading chose the source; from the next (50 s) the slice is 60% busy, then quiet from 50.5 s.
        #expect(mark.attributes[ResponsiveRule.cpuSourceAttribute] == "session")
        #expect(mark.attributes[LogonAttribute.responsiveRule] == "cpu<50%/2s")
        #expect(mark.monotonicMs == 50_500)
    }

    @Test("Without a slice (no cgroup v2, or no uid) the machine's CPU decides, and the logon says so")
    func machineFallback() throws {
        for uid in ["1000", nil] {
            let machine = ScriptedCPU.loads([95, 80, 30, 20, 10, 10, 10, 10])
            let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 120_000, currentBootId: "boot-1", readCPU: { machine.next() },
                                            readSessionCPU: { _ in nil })
            let mark = try #require(run(watcher, ready(uid: uid)))
            #expect(mark.attributes[ResponsiveRule.cpuSourceAttribute] == "machine")
            #expect(mark.monotonicMs == 51_000)
        }
    }

    @Test("A session that never settles is given up on under the rule, naming the session's CPU")
    func sessionNeverSettles() throws {
        let slice = Self.sliceLoads(Array(repeating: 80, count: 20))
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 3_000, currentBootId: "boot-1", readCPU: { CPUTimes(busy: 0, total: 1) },
                                        readSessionCPU: { _ in slice.next() })
        var annotations: [Int64: [String: String]] = [:]
        for step in 0..<8 {
            let offset = Int64(step) * 500
            let result = watcher.step(openMarks: [ready(uid: "1000")], nowWallMs: 1_790_000_000_000 + offset, nowMonoMs: 50_000 + offset)
            #expect(result.marks.isEmpty)
            annotations.merge(result.annotations) { _, new in new }
        }
        #expect(annotations[3] == [LogonAttribute.responsiveRule: "cpu<50%/2s", ResponsiveRule.cpuSourceAttribute: "session",
                                   "responsive_reached": "no"])
    }
}
