import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("HTTPS")
struct TLSTests {
    /// A self-signed certificate for 127.0.0.1, made with the openssl command line.
    func makeCertificate(in dir: TemporaryDirectory) async throws -> TLSFiles {
        try await TLSFixture.certificate(in: dir)
    }

    @Test("An agent uploads over HTTPS when it trusts the collector's CA, and refuses an unknown certificate")
    func httpsUpload() async throws {
        let dir = try TemporaryDirectory("deskready-tls")
        defer { dir.remove() }
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.tls = try await makeCertificate(in: dir)
        let collector = try await TestCollector.start(configuration: configuration)
        #expect(collector.url.hasPrefix("https://"))
        var config = AgentConfig()
        config.collectorURL = collector.url
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = Fixtures.device.id
        config.pseudonymKey = "tls-test-secret-key-0001"
        config.spoolPath = dir.file("spool.sqlite")
        config.deviceToken = try await collector.enrol()
        let caFile = configuration.tls!.certificateChainPath
        let (untrusted, trusted) = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)
            try spool.append(contentsOf: [Fixtures.event(), Fixtures.event()])
            let untrusted = try Uploader(spool: spool, config: config, transport: CurlTransport()).sendNext()
            let trusted = try Uploader(spool: spool, config: config, transport: CurlTransport(caFile: caFile)).sendNext()
            return (untrusted, trusted)
        }
        guard case .retry(let reason, _) = untrusted else {
            Issue.record("an unknown certificate must be refused, got \(untrusted)")
            return
        }
        #expect(reason.lowercased().contains("certificate"))
        #expect(trusted == .acknowledged(accepted: 2, duplicates: 0, rejected: 0))
        #expect(try await collector.storedEventCount() == 2)
        try await collector.stop()
    }

    @Test("A missing certificate file is a clear error")
    func missingCertificate() async throws {
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.tls = TLSFiles(certificateChainPath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem")
        let error = await #expect(throws: CollectorStartError.self) { _ = try await TestCollector.start(configuration: configuration) }
        #expect(error?.description.contains("/nonexistent/cert.pem") == true && error?.description.contains("--tls-cert") == true)
    }
}
