import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("mark's fast path")
struct MarkRecorderTests {
    @Test("Plain marks are read by hand; anything unusual goes to the full parser")
    func fastPath() {
        let request = MarkRecorder.fastPath(["mark", "auth_start", "--config", "/etc/x.yaml", "--user", "alice", "--session", "c2"])
        #expect(request == MarkRequest(milestone: .authStart, configPath: "/etc/x.yaml", session: "c2", user: "alice"))
        #expect(MarkRecorder.fastPath(["mark", "desktop_ready", "--drop-dir", "/d"])?.dropDir == "/d")
        #expect(MarkRecorder.fastPath(["mark", "bogus"]) == nil)
        #expect(MarkRecorder.fastPath(["mark", "auth_start", "--help"]) == nil)
        #expect(MarkRecorder.fastPath(["mark", "auth_start", "--user"]) == nil)
        #expect(MarkRecorder.fastPath(["mark", "auth_start", "session_open"]) == nil)
        #expect(MarkRecorder.fastPath(["status"]) == nil)
        #expect(MarkRecorder.fastPath(["mark"]) == nil)
        #expect(MarkRecorder.fastPath(["mark", "auth_start", "--bogus", "x"]) == nil)
        let full = MarkRecorder.fastPath(["mark", "session_open", "--collector", "https://c", "--spool", "/s", "--type", "x11", "--drop-dir", "/d"])
        #expect(full == MarkRequest(milestone: .sessionOpen, spoolPath: "/s", sessionType: "x11", dropDir: "/d"))
    }

    @Test("A mark lands in the spool with the user pseudonymised")
    func record() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "trust: RXX\nsite: RXX01\ndevice_id: ws\npseudonym_key: fast-path-secret-key-01\nspool_path: \(dir.file("s.sqlite"))\n"
            .write(toFile: dir.file("a.yaml"), atomically: true, encoding: .utf8)
        try MarkRecorder.record(MarkRequest(milestone: .sessionOpen, configPath: dir.file("a.yaml"), user: "alice"), environment: [:])
        let marks = try Spool(path: dir.file("s.sqlite")).openMarks()
        #expect(marks.map(\.name) == ["session_open"])
        #expect(marks.first?.user == Pseudonymizer(key: "fast-path-secret-key-01").pseudonym(for: "alice"))
    }

    @Test("A config this process can read but not use is named when the mark cannot be left anywhere",
          .enabled(if: access(MarkDropbox.defaultPath, F_OK) != 0, "the default drop folder exists on this machine"))
    func brokenConfig() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try "trust: RXX\nmark_drop_dir: \(dir.file("missing/marks"))\nbatch_max_events: lots\n"
            .write(toFile: dir.file("a.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: (any Error).self) {
            try MarkRecorder.record(MarkRequest(milestone: .authStart, configPath: dir.file("a.yaml"), user: "alice"), environment: [:])
        }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("batch_max_events"), "\(message)")
        #expect(message.contains("could not be left for the daemon"), "\(message)")
    }
}
