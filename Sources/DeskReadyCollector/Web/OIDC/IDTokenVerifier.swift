import DeskReadyModel
import Foundation
import JWTKit

/// Checks an ID token: its signature against the provider's keys (jwt-kit, the key chosen by `kid`), then `iss`,
/// `aud` (and `azp` when there are several audiences), `exp`, `iat` and `nbf` with a small leeway, and the `nonce`
/// this sign-in sent. Returns who signed in.
struct IDTokenVerifier: Sendable {
    /// Who the provider says signed in.
    struct Identity: Sendable, Equatable {
        var user: String
        var subject: String
        var groups: [String]
    }

    /// jwt-kit checks the signature; the claims are checked below, where the leeway and the messages are ours.
    struct SignedPayload: JWTPayload {
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let provider: OIDCProvider
    let settings: OIDCSettings

    func verify(_ token: String, nonce: String, nowMs: Int64) async throws -> Identity {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 64 * 1024,
              let header = Self.json(parts[0]), let claims = Self.json(parts[1]) else {
            throw OIDCError("the provider's ID token is not a signed JWT")
        }
        let kid = header["kid"] as? String
        do {
            _ = try await provider.keys(for: kid).verify(token, as: SignedPayload.self)
        } catch let error as OIDCError {
            throw error
        } catch {
            throw OIDCError("the ID token's signature does not verify against the provider's keys (\(error))")
        }
        guard claims["iss"] as? String == settings.issuer else {
            throw OIDCError("the ID token was issued by \(ReportQuery.printable("\(claims["iss"] ?? "nobody")")), not \(settings.issuer)")
        }
        let audiences = (claims["aud"] as? [String]) ?? [(claims["aud"] as? String)].compactMap { $0 }
        guard audiences.contains(settings.clientId), audiences.count == 1 || claims["azp"] as? String == settings.clientId else {
            throw OIDCError("the ID token is for another application (aud \(ReportQuery.printable(audiences.joined(separator: ","))), not \(settings.clientId))")
        }
        let now = Double(nowMs) / 1000, leeway = Double(settings.leewaySeconds)
        guard let exp = Self.number(claims["exp"]), exp + leeway > now else {
            throw OIDCError("the ID token has expired (or has no exp); sign in again, and check this server's clock")
        }
        if let iat = Self.number(claims["iat"]), iat - leeway > now {
            throw OIDCError("the ID token was issued in the future; check this server's clock")
        }
        if let nbf = Self.number(claims["nbf"]), nbf - leeway > now {
            throw OIDCError("the ID token is not valid yet; check this server's clock")
        }
        guard let sent = claims["nonce"] as? String, WebCookies.equal(sent, nonce) else {
            throw OIDCError("the ID token's nonce is not the one this sign-in sent; sign in again")
        }
        guard let subject = claims["sub"] as? String, !subject.isEmpty else { throw OIDCError("the ID token names no subject (sub)") }
        guard let user = claims[settings.userClaim] as? String, !user.isEmpty, user.utf8.count <= 256 else {
            throw OIDCError("the ID token has no \(settings.userClaim) claim to name you by; the collector's administrator can ask the provider to send it, or set oidc_user_claim")
        }
        let groups = ((claims[settings.groupsClaim] as? [Any]) ?? []).compactMap { $0 as? String }
        return Identity(user: user, subject: subject, groups: groups)
    }

    /// A JSON number, however Foundation boxed it.
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Int: Double(value)
        case let value as Int64: Double(value)
        case let value as Double: value
        case let value as NSNumber: value.doubleValue
        default: nil
        }
    }

    /// A base64url JSON object.
    static func json(_ part: Substring) -> [String: Any]? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
