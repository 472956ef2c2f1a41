import DeskReadyAgent
import DeskReadyModel
import Testing

@Suite("Boot timing from systemd-analyze")
struct BootTimingTests {
    @Test("A physical machine with firmware and loader times")
    func physical() throws {
        let text = """
            Startup finished in 7.114s (firmware) + 3.012s (loader) + 2.345s (kernel) + 4.001s (initrd) + 1min 2.500s (userspace) = 1min 18.972s
            graphical.target reached after 1min 2.100s in userspace.
            """
        let timing = try #require(BootTiming.parse(systemdAnalyze: text))
        #expect(timing.phases == ["firmware": 7_114, "loader": 3_012, "kernel": 2_345, "initrd": 4_001, "userspace": 62_500])
        #expect(timing.totalMs == 78_972)
        #expect(timing.target == "graphical.target")
        #expect(timing.targetReachedMs == 62_100)
        let event = timing.event(bootedAtMs: 1_790_000_010_126, bootId: "b1")
        #expect(event.kind == .boot)
        #expect(event.startedAtMs == 1_790_000_000_000)
        #expect(event.durationMs == 78_972)
        #expect(event.attributes?["boot_id"] == "b1")
    }

    @Test("A virtual machine without firmware or initrd, in milliseconds")
    func virtualMachine() throws {
        let text = "Startup finished in 853ms (kernel) + 5.4s (userspace) = 6.253s\nmulti-user.target reached after 5.380s in userspace\n"
        let timing = try #require(BootTiming.parse(systemdAnalyze: text))
        #expect(timing.phases == ["kernel": 853, "userspace": 5_400])
        #expect(timing.totalMs == 6_253)
        #expect(timing.target == "multi-user.target")
    }

    @Test("A container without systemd, or a boot still running, gives nothing", arguments: [
        "System has not been booted with systemd as init system (PID 1). Can't operate.",
        "Bootup is not yet finished (org.freedesktop.systemd1.Manager.FinishTimestampMonotonic=0).",
        "",
    ])
    func unavailable(text: String) {
        #expect(BootTiming.parse(systemdAnalyze: text) == nil)
    }

    @Test("Durations in systemd's units")
    func durations() {
        #expect(BootTiming.parseDuration("1h 2min 3.5s") == 3_723_500)
        #expect(BootTiming.parseDuration("750us") == 1)
        #expect(BootTiming.parseDuration("12.25s") == 12_250)
        #expect(BootTiming.parseDuration("soon") == nil)
    }
}
