import Crypto
import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The web front in process (HummingbirdTesting's router mode) on a real SQLite store: token sign-in and its form
/// token, the session cookie and its server-side record, CSRF on sign-out, who sees which trust, expiry, and hostile
/// input answered with pages, never a crash or a 500. The OpenID Connect flow in a browser is in EndToEndTests.
@Suite("Web router")
struct WebRouterTests {
    /// Pages that echo what they were asked for.
    struct EchoPages: WebReportPages {
        var formats: [String] { ["html", "json", "csv", "fhir"] }
        func render(_ query: ReportQuery) async throws -> RenderedReport {
            RenderedReport(contentType: "application/json", body: "{\"trust\":\"\(query.trust ?? "*")\",\"format\":\"\(query.format)\"}")
        }
        func overviews(trusts: [String]?, period: ReportPeriod) async throws -> [TrustOverview] {
            (trusts ?? ["RXA", "RXB"]).map { TrustOverview(ods: $0, level: 3, summary: "Level 3 of 5", newestDataAt: nil) }
        }
        func page(_ query: ReportQuery, site: String?) async throws -> WebReportPage? {
            if let site, site != "RXA01" { return nil }
            return WebReportPage(html: "<p>report of \(query.trust ?? "*") \(site ?? "all sites") \(CivilDay.format(query.period.fromMs))</p>", sites: ["RXA01"])
        }
        var stylesheet: String { "body { color: #000; }" }
    }

    struct Setup: Sendable {
        let store: SQLiteMeasurementStore
        let log: CapturedLog
        let readerA: String
        let admin: String
        let device: String
    }

    typealias Answer = (status: HTTPResponse.Status, body: String, headers: HTTPFields)

    func withWeb(secureCookies: Bool = false, _ body: @escaping @Sendable (Setup, any TestClientProtocol) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("deskready-web")
        defer { directory.remove() }
        let store = try SQLiteMeasurementStore(path: directory.file("c.sqlite"))
        for ods in ["RXA", "RXB"] { _ = try await store.addTrust(ods: ods, name: "Trust \(ods)") }
        let log = CapturedLog()
        let setup = Setup(
            store: store, log: log,
            readerA: try await store.issueToken(role: .reader, trust: "RXA", label: "CIO A", expiresMs: nil).token,
            admin: try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil).token,
            device: try await store.enrolDevice(trust: "RXA", deviceId: "ws-1", site: "RXA01", installKey: nil, nowMs: WallClock.nowMs()).token)
        var settings = WebSettings()
        settings.adminContact = "the service desk"
        settings.secureCookies = secureCookies
        let router = CollectorServer.router(store: store, configuration: CollectorConfiguration(), metrics: CollectorMetrics(), reports: EchoPages(),
                                            audit: AuditLog(logger: log.logger(label: "deskready.audit")),
                                            web: WebFront(store: store, pages: EchoPages(), settings: settings))
        try await Application(router: router).test(.router) { client in try await body(setup, client) }
    }

    func send(_ client: some TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, cookies: [String: String] = [:], form: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) }) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    /// The value a Set-Cookie header gives `name`, and the whole header.
    func cookie(_ headers: HTTPFields, _ name: String) -> (value: String, header: String)? {
        for header in headers[values: .setCookie] where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), header)
        }
        return nil
    }

    /// Signs in with a token through the form; returns the session cookie.
    func signIn(_ client: some TestClientProtocol, token: String) async throws -> String? {
        let page = try await send(client, "/web/sign-in")
        guard let formToken = cookie(page.headers, "deskready_signin")?.value else { return nil }
        let answer = try await send(client, "/web/sign-in/token", method: .post, cookies: ["deskready_signin": formToken],
                                    form: "form=\(formToken)&token=\(token)")
        return cookie(answer.headers, "deskready_session")?.value
    }

    @Test("Without a session / goes to the sign-in page, which carries a strict CSP and a form token")
    func signInPage() async throws {
        try await withWeb { _, client in
            let root = try await send(client, "/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/web/sign-in")
            let page = try await send(client, "/web/sign-in")
            #expect(page.status == .ok)
            let csp = page.headers[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("default-src 'none'") && csp.contains("style-src 'self'") && !csp.contains("unsafe"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.body.contains("<label for=\"token\">"))
            let formCookie = try #require(cookie(page.headers, "deskready_signin"))
            #expect(formCookie.header.contains("HttpOnly") && formCookie.header.contains("SameSite=Lax") && !formCookie.header.contains("Secure"))
            #expect(!page.body.contains("<script"))
        }
    }

    @Test("A reader token signs in once; the session shows its own trust only and is stored hashed")
    func tokenSignIn() async throws {
        try await withWeb { setup, client in
            let page = try await send(client, "/web/sign-in")
            let formToken = try #require(cookie(page.headers, "deskready_signin")?.value)
            let answer = try await send(client, "/web/sign-in/token", method: .post, cookies: ["deskready_signin": formToken],
                                        form: "form=\(formToken)&token=\(setup.readerA)")
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/")
            let session = try #require(cookie(answer.headers, "deskready_session"))
            #expect(session.header.contains("HttpOnly") && session.header.contains("SameSite=Lax") && session.header.contains("Path=/"))
            // Only the hash is stored.
            let stored = try await setup.store.webSession(idHash: Data(session.value.utf8).sha256ForTest)
            #expect(stored?.kind == .token)
            #expect(try await setup.store.webSession(idHash: Data(session.value.utf8)) == nil)

            let index = try await send(client, "/", cookies: ["deskready_session": session.value])
            #expect(index.status == .ok)
            #expect(index.body.contains("/web/trusts/RXA") && !index.body.contains("/web/trusts/RXB"))
            let own = try await send(client, "/web/trusts/RXA", cookies: ["deskready_session": session.value])
            #expect(own.status == .ok)
            #expect(own.body.contains("report of RXA all sites") && own.body.contains("/web/trusts/RXA/sites/RXA01"))
            #expect(own.body.contains("/web/trusts/RXA/download?format=json"))
            let other = try await send(client, "/web/trusts/RXB", cookies: ["deskready_session": session.value])
            #expect(other.status == .forbidden)
            #expect(other.body.contains("Not your trust") && !other.body.contains("report of"))
            let download = try await send(client, "/web/trusts/RXA/download?format=csv", cookies: ["deskready_session": session.value])
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"deskready-RXA-") == true)
            let actions = setup.log.audit.map { $0.metadata["action"] ?? "" }
            #expect(actions.contains("web.sign_in") && actions.contains("web.refused"))
            #expect(setup.log.audit.filter { $0.metadata["action"] == "report.read" && $0.metadata["channel"] == "web" }.count == 2)
        }
    }

    @Test("Behind TLS the session cookie is Secure")
    func secureCookie() async throws {
        try await withWeb(secureCookies: true) { setup, client in
            let page = try await send(client, "/web/sign-in")
            let formToken = try #require(cookie(page.headers, "deskready_signin")?.value)
            let answer = try await send(client, "/web/sign-in/token", method: .post, cookies: ["deskready_signin": formToken],
                                        form: "form=\(formToken)&token=\(setup.readerA)")
            let session = try #require(cookie(answer.headers, "deskready_session"))
            #expect(session.header.contains("Secure") && session.header.contains("HttpOnly") && session.header.contains("SameSite=Lax"))
        }
    }

    @Test("Token sign-in refuses a missing form token, an unknown token and a device token, with a page")
    func tokenRefusals() async throws {
        try await withWeb { setup, client in
            let page = try await send(client, "/web/sign-in")
            let formToken = try #require(cookie(page.headers, "deskready_signin")?.value)
            let noCookie = try await send(client, "/web/sign-in/token", method: .post, form: "form=\(formToken)&token=\(setup.readerA)")
            #expect(noCookie.status == .forbidden)
            #expect(cookie(noCookie.headers, "deskready_session") == nil)
            let unknown = try await send(client, "/web/sign-in/token", method: .post, cookies: ["deskready_signin": formToken],
                                         form: "form=\(formToken)&token=drr_nonsense")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.contains("unknown, revoked or expired"))
            let device = try await send(client, "/web/sign-in/token", method: .post, cookies: ["deskready_signin": formToken],
                                        form: "form=\(formToken)&token=\(setup.device)")
            #expect(device.status == .forbidden)
            #expect(cookie(device.headers, "deskready_session") == nil)
            #expect(setup.log.audit.filter { $0.metadata["action"] == "web.sign_in_refused" }.count == 3)
        }
    }

    @Test("Sign-out needs the session's CSRF token, and ends the session on the server")
    func signOut() async throws {
        try await withWeb { setup, client in
            let session = try #require(try await signIn(client, token: setup.admin))
            let index = try await send(client, "/", cookies: ["deskready_session": session])
            #expect(index.body.contains("/web/trusts/RXA") && index.body.contains("/web/trusts/RXB"))
            let csrf = try #require(index.body.firstMatch(of: /name="csrf" value="([A-Za-z0-9_-]+)"/)?.1)
            let forged = try await send(client, "/web/sign-out", method: .post, cookies: ["deskready_session": session], form: "csrf=forged")
            #expect(forged.status == .forbidden)
            #expect(setup.log.audit.contains { $0.metadata["action"] == "web.refused" && $0.metadata["reason"]?.contains("CSRF") == true })
            #expect(try await send(client, "/", cookies: ["deskready_session": session]).status == .ok)
            let out = try await send(client, "/web/sign-out", method: .post, cookies: ["deskready_session": session], form: "csrf=\(csrf)")
            #expect(out.status == .seeOther)
            #expect(cookie(out.headers, "deskready_session")?.header.contains("Max-Age=0") == true)
            let after = try await send(client, "/", cookies: ["deskready_session": session])
            #expect(after.status == .seeOther)
            #expect(setup.log.audit.contains { $0.metadata["action"] == "web.sign_out" })
        }
    }

    @Test("A session idle too long, or whose token was revoked, is over")
    func expiry() async throws {
        try await withWeb { setup, client in
            let session = try #require(try await signIn(client, token: setup.readerA))
            let hash = Data(session.utf8).sha256ForTest
            try await setup.store.touchWebSession(idHash: hash, lastSeenMs: WallClock.nowMs() - 3 * 3600 * 1000)
            #expect(try await send(client, "/", cookies: ["deskready_session": session]).status == .seeOther)
            #expect(try await setup.store.webSession(idHash: hash) == nil)

            let second = try #require(try await signIn(client, token: setup.readerA))
            #expect(try await send(client, "/", cookies: ["deskready_session": second]).status == .ok)
            let id = try #require(try await setup.store.credentials().first { $0.label == "CIO A" }?.id)
            try await setup.store.revokeToken(id: id)
            #expect(try await send(client, "/", cookies: ["deskready_session": second]).status == .seeOther)
        }
    }

    @Test("A person signed in through a provider sees the trusts of their e-mail, subject and group mappings")
    func mappings() async throws {
        let rules = [
            WebAccessRule(id: 1, match: .email, value: "alice@trust.nhs.uk", role: .reader, trust: "RXA", createdMs: 0),
            WebAccessRule(id: 2, match: .group, value: "g-rxb", role: .reader, trust: "RXB", createdMs: 0),
            WebAccessRule(id: 3, match: .subject, value: "sub-admin", role: .admin, trust: nil, createdMs: 0),
        ]
        let alice = rules.filter { $0.matches(user: "Alice@Trust.NHS.uk", subject: "x", groups: ["g-rxb"]) }
        #expect(alice.map(\.id) == [1, 2])
        #expect(rules.filter { $0.matches(user: "bob@x", subject: "sub-admin", groups: []) }.map(\.id) == [3])
        #expect(rules.filter { $0.matches(user: "bob@x", subject: "other", groups: ["G-RXB"]) }.isEmpty)
    }

    @Test("Hostile paths, queries, forms and cookies get pages, never a crash or a 500", arguments: [
        "/web/trusts/rxa", "/web/trusts/%00", "/web/trusts/RXA?from=2099-01-01", "/web/trusts/RXA?from=%E2%98%83&to=x",
        "/web/trusts/RXA?baseline=..%2F..", "/web/trusts/RXA?baseline=nope", "/web/trusts/RXA/sites/%01", "/web/trusts/RXA/sites/RXZ99",
        "/web/trusts/RXA/sites/" + String(repeating: "a", count: 300), "/web/trusts/RXA/download?format=pdf", "/web/trusts/RXA/download?from=0001-01-01",
        "/web/trusts/RXC", "/web/oidc/callback?code=a&state=b", "/web/sign-in/oidc",
    ])
    func hostile(uri: String) async throws {
        try await withWeb { setup, client in
            let session = try #require(try await signIn(client, token: setup.readerA))
            let answer = try await send(client, uri, cookies: ["deskready_session": session])
            #expect(answer.status.code >= 200 && answer.status.code < 500 || answer.status == .notFound, "\(uri): \(answer.status)")
            #expect(answer.status != .internalServerError)
            #expect(answer.headers[.contentType]?.hasPrefix("text/html") == true, "\(uri)")
            let anonymous = try await send(client, uri, cookies: ["deskready_session": String(repeating: "A", count: 4000)])
            #expect(anonymous.status != .internalServerError)
        }
    }

    @Test("Posts that are not the page's form are refused with a page")
    func hostileForms() async throws {
        try await withWeb { setup, client in
            let session = try #require(try await signIn(client, token: setup.readerA))
            var headers: HTTPFields = [.cookie: "deskready_session=\(session)", .contentType: "application/json"]
            let json = try await client.execute(uri: "/web/sign-out", method: .post, headers: headers, body: ByteBuffer(string: "{}")) { $0.status }
            #expect(json == .unsupportedMediaType)
            headers[.contentType] = "application/x-www-form-urlencoded"
            let huge = try await client.execute(uri: "/web/sign-out", method: .post, headers: headers, body: ByteBuffer(string: String(repeating: "a=b&", count: 10_000))) { $0.status }
            #expect(huge == .contentTooLarge)
            let odd = try await send(client, "/web/sign-in/token", method: .post, form: "%%%=&&==&token=%ZZ")
            #expect(odd.status == .forbidden)
        }
    }
}

extension Data {
    /// SHA-256, as the web front hashes session ids.
    var sha256ForTest: Data { Data(SHA256.hash(data: self)) }
}
