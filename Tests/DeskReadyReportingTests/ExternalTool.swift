import DeskReadyTestSupport
import Foundation

/// Runs programs the renderers' tests check their output with (python3's jsonschema, headless Chromium).
enum ExternalTool {
    /// The first executable named `name` on PATH, or at one of `fallbacks`.
    static func find(_ name: String, fallbacks: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/\(name)" } + fallbacks
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let python3 = find("python3")
    static let chromium = find("chromium", fallbacks: ["/usr/bin/chromium-browser", "/usr/bin/google-chrome"])

    /// What a finished program printed and how it ended.
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` on a thread of its own; ends it after `limitSeconds` so a stuck program can't hang the tests.
    static func run(_ executable: String, _ arguments: [String], limitSeconds: Double = 120) async throws -> Result {
        try await blocking {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
            DispatchQueue.global().asyncAfter(deadline: .now() + limitSeconds, execute: watchdog)
            // Read both pipes before waiting, so a chatty program can't block on a full pipe.
            let errorData = LockedData()
            let errorReader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
            errorReader.start()
            let outputData = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            watchdog.cancel()
            while !errorData.isSet { usleep(1_000) }
            return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                          stderr: String(decoding: errorData.value, as: UTF8.self))
        }
    }
}

/// Bytes handed from a reader thread, behind a lock.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
