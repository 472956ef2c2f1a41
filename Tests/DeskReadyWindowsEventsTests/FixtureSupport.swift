import DeskReadyModel
import DeskReadyWindowsEvents
import Testing

/// Reading the fixtures (event XML written from the shapes in shared/reference/windows-events.md) and assembling them.
enum Fixture {
    static let folder: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "Fixtures/"
    }()

    /// The fixture's records and the problems reported while reading it.
    static func read(_ names: String...) throws -> (records: [WindowsEventRecord], issues: [ReadIssue]) {
        var records: [WindowsEventRecord] = []
        var issues: [ReadIssue] = []
        for name in names {
            let reader = try EventLogReader(path: folder + name)
            try reader.read({ records.append($0) }, issues: { issues.append($0) })
        }
        return (records, issues)
    }

    /// Assembles fixture files as one computer's records, long after they were written (nothing held back).
    static func assemble(_ names: String..., nowMs: Int64 = Fixture.later) throws -> WindowsEventAssembler.AssemblyResult {
        var records: [WindowsEventRecord] = []
        for name in names { records += try read(name).records }
        return WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: nowMs)
    }

    /// Long after every fixture's events (they are from early November 2026).
    static let later: Int64 = 1_800_000_000_000

    /// Milliseconds since the epoch of a fixture time: 2026-11-02T07:00:00Z plus `seconds`.
    static func ms(_ seconds: Double) -> Int64 { 1_793_602_800_000 + Int64((seconds * 1000).rounded()) }
}

extension WindowsEventAssembler.AssemblyResult {
    var logons: [MeasurementEvent] { events.map(\.event).filter { $0.kind == .logon } }
    var boots: [MeasurementEvent] { events.map(\.event).filter { $0.kind == .boot } }
}
