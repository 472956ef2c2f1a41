import ArgumentParser
import Foundation

/// `deskready bench`: the benchmarks behind BENCHMARKS.md, runnable by anyone.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure ingest throughput, the agent's footprint, report latency and Windows event import.",
        subcommands: [IngestBenchmark.self, RawBenchmark.self, AgentBenchmark.self, ReportBenchmark.self, ImportBenchmark.self])
}

/// Writes machine-readable results when `--json FILE` is given.
func writeJSON<T: Encodable>(_ value: T, to path: String?) throws {
    guard let path else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(value).write(to: URL(fileURLWithPath: path))
}

/// The path of a sibling executable of this one (`deskready-agent` next to `deskready`).
func siblingExecutable(_ name: String) -> String {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return me.deletingLastPathComponent().appendingPathComponent(name).path
}
