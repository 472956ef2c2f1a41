import AsyncHTTPClient
import Crypto
import DeskReadyModel
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1

/// The collector's side of one OpenID Connect provider: its discovery document and signing keys (cached, the keys
/// fetched again when a token names one not seen yet, at most every `refetchSeconds`), the authorization request
/// with PKCE, and the code exchange.
actor OIDCProvider {
    /// The endpoints the discovery document names.
    struct Metadata: Sendable, Decodable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
        var token_endpoint_auth_methods_supported: [String]?
    }

    let settings: OIDCSettings
    let refetchSeconds: Int64 = 10
    let maxAgeSeconds: Int64 = 3600
    private var metadata: (value: Metadata, fetchedMs: Int64)?
    private var keys: (collection: JWTKeyCollection, kids: Set<String>, fetchedMs: Int64)?

    init(settings: OIDCSettings) {
        self.settings = settings
    }

    /// The discovery document, fetched at most hourly; its issuer must be the configured one.
    func discovery() async throws -> Metadata {
        let nowMs = WallClock.nowMs()
        if let metadata, nowMs - metadata.fetchedMs < maxAgeSeconds * 1000 { return metadata.value }
        let url = settings.issuer.hasSuffix("/") ? settings.issuer + ".well-known/openid-configuration" : settings.issuer + "/.well-known/openid-configuration"
        let body = try await Self.get(url, what: "the provider's discovery document")
        guard let value = try? JSONDecoder().decode(Metadata.self, from: body) else {
            throw OIDCError("the discovery document at \(url) lacks issuer, authorization_endpoint, token_endpoint or jwks_uri; check oidc_issuer")
        }
        guard value.issuer == settings.issuer else {
            throw OIDCError("the provider names its issuer \(value.issuer), not \(settings.issuer); set oidc_issuer to exactly that")
        }
        metadata = (value, nowMs)
        return value
    }

    /// The keys to check a token signed with `kid`, fetched again when it is unknown (the provider rotated its keys).
    func keys(for kid: String?) async throws -> JWTKeyCollection {
        let nowMs = WallClock.nowMs()
        if let keys, nowMs - keys.fetchedMs < maxAgeSeconds * 1000, kid.map({ keys.kids.contains($0) }) ?? true {
            return keys.collection
        }
        if let keys, nowMs - keys.fetchedMs < refetchSeconds * 1000 { return keys.collection }
        let jwksURL = try await discovery().jwks_uri
        let body = try await Self.get(jwksURL, what: "the provider's signing keys (jwks_uri)")
        guard let jwks = try? JSONDecoder().decode(JWKS.self, from: body) else {
            throw OIDCError("the provider's jwks_uri \(jwksURL) did not answer with a JSON Web Key Set")
        }
        let collection = JWTKeyCollection()
        var kids = Set<String>()
        for key in jwks.keys.prefix(50) {
            // Keys this collector cannot use (other types, encryption keys) are skipped, not fatal.
            guard (try? await collection.add(jwk: key)) != nil else { continue }
            if let kid = key.keyIdentifier?.string { kids.insert(kid) }
        }
        keys = (collection, kids, nowMs)
        return collection
    }

    /// Where to send the browser: the authorization endpoint with state, nonce and the PKCE challenge (S256).
    func authorizationURL(state: String, nonce: String, verifier: String) async throws -> String {
        let endpoint = try await discovery().authorization_endpoint
        let challenge = WebCookies.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
        let parameters = [
            ("response_type", "code"), ("client_id", settings.clientId), ("redirect_uri", settings.redirectURL), ("scope", settings.scopes),
            ("state", state), ("nonce", nonce), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        return endpoint + (endpoint.contains("?") ? "&" : "?") + Self.formEncode(parameters)
    }

    /// Exchanges the code for tokens and returns the ID token.
    func exchange(code: String, verifier: String) async throws -> String {
        let metadata = try await discovery()
        var parameters = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.redirectURL), ("code_verifier", verifier)]
        var request = HTTPClientRequest(url: metadata.token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let methods = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"]
        if methods.contains("client_secret_post") && !methods.contains("client_secret_basic") {
            parameters += [("client_id", settings.clientId), ("client_secret", settings.clientSecret)]
        } else {
            let pair = Self.formComponent(settings.clientId) + ":" + Self.formComponent(settings.clientSecret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
            parameters.append(("client_id", settings.clientId))
        }
        request.body = .bytes(ByteBuffer(string: Self.formEncode(parameters)))
        let (status, body) = try await Self.send(request, what: "the provider's token endpoint")
        struct Tokens: Decodable { var id_token: String?; var error: String?; var error_description: String? }
        let tokens = try? JSONDecoder().decode(Tokens.self, from: body)
        guard status == 200, let idToken = tokens?.id_token else {
            let reason = [tokens?.error, tokens?.error_description].compactMap { $0 }.joined(separator: ": ")
            throw OIDCError("the provider refused the sign-in code (HTTP \(status)\(reason.isEmpty ? "" : ", " + ReportQuery.printable(reason))); sign in again")
        }
        return idToken
    }

    private static func get(_ url: String, what: String) async throws -> Data {
        let (status, body) = try await send(HTTPClientRequest(url: url), what: what)
        guard status == 200 else { throw OIDCError("\(what) at \(url) answered HTTP \(status)") }
        return body
    }

    private static func send(_ request: HTTPClientRequest, what: String) async throws -> (UInt, Data) {
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, Data(body.readableBytesView))
        } catch let error as OIDCError {
            throw error
        } catch {
            throw OIDCError("could not reach \(what) at \(request.url): \(error)")
        }
    }

    static func formComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { formComponent($0.0) + "=" + formComponent($0.1) }.joined(separator: "&")
    }
}
