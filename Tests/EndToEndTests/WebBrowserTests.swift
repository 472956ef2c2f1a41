import DeskReadyTestSupport
import Foundation
import Testing

/// The web front in a real browser: Tests/WebBrowser/web_flow.py drives headless Chromium (Selenium, Debian's
/// chromium-driver) against the built `deskready serve` and a small OpenID Connect provider, and runs axe-core on the
/// pages. Needs the packages in `WEB_TEST_VENV` and chromedriver (.ci/run installs both).
@Suite("Web front in a browser", .serialized)
struct WebBrowserTests {
    static var venv: String? {
        guard let venv = ProcessInfo.processInfo.environment["WEB_TEST_VENV"],
              FileManager.default.isExecutableFile(atPath: venv + "/bin/python3"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else { return nil }
        return venv
    }

    @Test("Sign in with OpenID Connect, own trusts only, report, download, refusals, sign-out, key rotation and axe-core",
          .enabled(if: venv != nil, "the browser test needs WEB_TEST_VENV (selenium, axe-selenium-python, joserfc) and /usr/bin/chromedriver; see .ci/run"))
    func browserFlow() async throws {
        let script = BuiltProducts.packageRoot.appendingPathComponent("Tests/WebBrowser/web_flow.py").path
        let result = try await run((Self.venv ?? "") + "/bin/python3", [script, try BuiltProducts.executable("deskready")])
        #expect(result.status == 0, "web_flow.py failed:\n\(result.stdout.suffix(6000))\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("checks passed"))
    }
}
