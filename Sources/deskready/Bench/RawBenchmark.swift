import ArgumentParser
import Foundation

/// `deskready bench raw`: the raw SQLite insert alone, at any transaction size, to see what the transaction size
/// costs (the collector's group commit decides its size from how many batches wait).
struct RawBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "raw", abstract: "The raw SQLite insert rate into the collector's schema.")

    @Option(help: "Rows to insert.") var rows = 1_000_000
    @Option(help: "Rows per transaction; several comma-separated sizes measure each in turn.") var transactionSize = "50000"
    @Option(help: "When the events happened: recent or week.") var spread: EventTimeSpread = .recent

    func run() throws {
        let sizes = transactionSize.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--transaction-size takes positive sizes like 4000,50000") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-raw-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for size in sizes {
            let rate = try RawInsertBenchmark(rows: rows, directory: dir, spread: spread, transactionSize: size).run()
            print("raw insert, \(size)-row transactions, \(spread.rawValue) events: \(Int(rate)) rows/s")
        }
    }
}
