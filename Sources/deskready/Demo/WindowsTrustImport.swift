import DeskReadyCollector
import DeskReadyModel
import DeskReadyWindowsEvents
import Foundation
import NIOPosix

/// The demo's Windows trust: no agents, but an Event Forwarding export of its workstations (generated) imported with
/// `deskready import windows-events`'s code over HTTP, as a trust without the agent would measure its estate.
struct WindowsTrustImport {
    static let trust = (code: "RXF", name: "Southmere Hospitals NHS Trust (Windows, imported from event logs)")
    /// RXF02 has roaming profiles and slow Group Policy: its logons are about three times slower.
    static let sites = [(code: "RXF01", computers: 10, slowness: 1.0), (code: "RXF02", computers: 8, slowness: 3.0)]

    let store: any CollectorStore
    let collectorURL: String
    let days: Int
    let workDirectory: String

    /// Generates the export, imports it, and returns the importer's summary line.
    func run(nowMs: Int64 = WallClock.nowMs()) async throws -> String {
        if try await !store.trusts().contains(where: { $0.ods == Self.trust.code }) {
            _ = try await store.addTrust(ods: Self.trust.code, name: Self.trust.name)
        }
        var computers: [String] = [], slowness: [Double] = []
        for site in Self.sites {
            for index in 1...site.computers {
                computers.append("\(site.code.lowercased())-win\(String(format: "%03d", index))")
                slowness.append(site.slowness)
            }
        }
        let token = try await store.issueToken(role: .importer, trust: Self.trust.code, label: "demo Windows import", expiresMs: nil).token
        let dayMs: Int64 = 86_400_000
        let path = workDirectory + "/windows-forwarded-events.xml"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ImportError("cannot write \(path); check the demo's work folder")
        }
        WindowsExportGenerator(computers: computers, firstDayMs: (nowMs / dayMs - Int64(days)) * dayMs, days: days,
                               slowness: { slowness[$0] }).write(to: handle)
        try handle.close()
        var settings = WindowsEventImporter.Settings(
            trust: Self.trust.code,
            siteMap: SiteMap(rules: Self.sites.map { ("\($0.code.lowercased())-*", $0.code) }, defaultSite: "RXF01"),
            pseudonymizer: Pseudonymizer(key: "demo-key-RXF-do-not-use-in-production"), state: nil,
            sender: BatchSender(collectorURL: collectorURL, token: token))
        settings.nowMs = nowMs
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        let summary = try await pool.runIfActive { [settings] in
            try WindowsEventImporter(settings: settings, emit: { _ in }, report: { _ in }).run(files: [path])
        }
        return "Imported trust \(Self.trust.code)'s Windows event export (\(path)): \(summary.events) events from \(summary.devices) computers became \(summary.sent) boots and logons with phases (\(summary.accepted) stored)."
    }
}
