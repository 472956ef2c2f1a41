import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// A transport that never reaches anything: uploads stay in the spool.
struct NoNetwork: HTTPTransport {
    func post(url: String, headers: [String], body: [UInt8], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange {
        throw TransportError("no network in this test")
    }
}

@Suite("Daemon with the measurement sources")
struct DaemonSourcesTests {
    @Test("The daemon's ticks take dropped application starts and run every source without stopping")
    func ticks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var config = AgentConfig()
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = "ws-daemon"
        config.pseudonymKey = "daemon-test-secret-key-01"
        config.spoolPath = dir.file("spool.sqlite")
        config.markDropDir = dir.path
        config.collectorURL = "http://127.0.0.1:9"
        config.batchMaxAgeSeconds = 3_600
        config.apps = [AppDefinition(name: "epr", executable: "/opt/epr/bin/epr-never-running", readiness: .file(path: dir.file("ready")))]
        config.probes = [try ProbeTarget.parse("dc | tcp://127.0.0.1:9").get()]
        let spool = try Spool(path: config.spoolPath)
        try AppEventDropbox(path: dir.path).drop(MeasurementEvent(kind: .appStart, name: "epr", startedAtMs: WallClock.nowMs() - 2_000, durationMs: 1_500,
                                                                  attributes: ["source": "launcher"]))
        var logged: [String] = []
        let daemon = AgentDaemon(config: config, spool: spool, transport: NoNetwork()) { logged.append($0) }
        for _ in 0..<3 {
            #expect(daemon.tick() > 0)
        }
        #expect(try spool.status().depth == 1)
        #expect(daemon.sources.pauseSeconds == 1)
        #expect(!logged.contains { $0.hasPrefix("spool:") })
    }

    @Test("Periodic jobs are due at once, then after their period")
    func periodic() {
        #expect(MeasurementSources.due(nil, everyMs: 5_000, nowMs: 10))
        #expect(!MeasurementSources.due(10, everyMs: 5_000, nowMs: 4_000))
        #expect(MeasurementSources.due(10, everyMs: 5_000, nowMs: 5_010))
    }
}
