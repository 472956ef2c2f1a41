import DeskReadyTestSupport
import Foundation
import Testing

/// Schemathesis fuzzes the running collector from its own OpenAPI document: no 5xx, every response as documented,
/// and the database passes its integrity check afterwards. Needs Schemathesis in `SCHEMATHESIS_VENV` (.ci/run
/// installs it from PyPI).
@Suite("OpenAPI contract", .serialized)
struct OpenAPIContractTests {
    static var schemathesisVenv: String? {
        guard let venv = ProcessInfo.processInfo.environment["SCHEMATHESIS_VENV"],
              FileManager.default.isExecutableFile(atPath: venv + "/bin/st") else { return nil }
        return venv
    }

    /// Each role's token on every request, so the fuzzing reaches past authentication as every token holder would.
    @Test("Schemathesis finds no server errors and no response outside the document, with each role's token",
          .enabled(if: schemathesisVenv != nil, "Schemathesis is not installed: set SCHEMATHESIS_VENV (see .ci/run)"),
          arguments: ["device", "reader", "admin", "enrolment", "importer", "toolkit"])
    func schemathesis(role: String) async throws {
        let script = BuiltProducts.packageRoot.appendingPathComponent("scripts/schemathesis.sh").path
        // The device run (which reaches the database) takes the full budget; the other roles fewer examples each.
        let examples = role == "device" ? "50" : "20"
        let result = try await run("/bin/bash", [script, try BuiltProducts.executable("deskready")],
                                   environment: ["SCHEMATHESIS_ROLE": role, "SCHEMATHESIS_MAX_EXAMPLES": examples])
        #expect(result.status == 0, "schemathesis failed:\n\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains(" passed, 0 failed"))
    }
}
