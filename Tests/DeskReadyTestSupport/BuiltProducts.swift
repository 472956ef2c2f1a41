import DeskReadyAgent
import Foundation

/// The package's built executables and files, found next to the running test bundle.
public enum BuiltProducts {
    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The path of a built executable (`deskready-agent`, `deskready`).
    public static func executable(_ name: String) throws -> String {
        var candidates: [URL] = []
        if let bundle = CommandLine.arguments.first {
            var folder = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            for _ in 0..<3 {
                candidates.append(folder.appendingPathComponent(name))
                folder = folder.deletingLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProcessFailure("cannot find the built \(name) near \(CommandLine.arguments.first ?? "?"); build it with `swift build`")
        }
        return found.path
    }
}

/// What a finished process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A process that could not be run.
public struct ProcessFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a program to completion with the given environment additions.
public func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
    try await blocking {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A loopback port the kernel just handed out, so a server process can take it.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw ProcessFailure("cannot bind a loopback port") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A `deskready serve` process on a loopback port.
public final class CollectorProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `deskready serve` and waits until `/healthz` answers.
    public init(database: String, port: Int, arguments: [String] = []) async throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("deskready"))
        process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:\(port)", "--log-level", "error"] + arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = "http://127.0.0.1:\(port)/healthz"
        for _ in 0..<200 {
            let status = try? await blocking { try CurlTransport().get(url: url, headers: [], timeoutMs: 500, connectTimeoutMs: 200).status }
            if status == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        process.terminate()
        throw ProcessFailure("deskready serve did not come up on port \(port)")
    }

    /// SIGKILL: no shutdown, no flushing, as a crash or power cut would do.
    public func killNine() async throws {
        kill(process.processIdentifier, SIGKILL)
        try await blocking { [process] in process.waitUntilExit() }
    }

    public func stop() async throws {
        process.terminate()
        try await blocking { [process] in process.waitUntilExit() }
    }
}
