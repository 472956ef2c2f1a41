import DeskReadyCollector
import Foundation

/// Self-signed certificates for 127.0.0.1, made with the openssl command line.
public enum TLSFixture {
    /// `NAME-cert.pem` and `NAME-key.pem` in `dir`: an EC certificate for IP 127.0.0.1, valid two days.
    public static func certificate(in dir: TemporaryDirectory, name: String = "collector") async throws -> TLSFiles {
        let files = TLSFiles(certificateChainPath: dir.file("\(name)-cert.pem"), privateKeyPath: dir.file("\(name)-key.pem"))
        let result = try await run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=deskready-\(name)", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", files.privateKeyPath, "-out", files.certificateChainPath,
        ])
        guard result.status == 0 else { throw ProcessFailure("openssl failed: \(result.stderr)") }
        return files
    }
}
