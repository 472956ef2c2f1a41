import Crypto
import Foundation
import Hummingbird

/// The web front's cookies and random values: the session cookie, the short-lived sign-in cookies, and the hashes
/// under which session ids are stored.
enum WebCookies {
    static let session = "deskready_session"
    /// Binds the token sign-in form to the browser that loaded it (there is no session yet to hold a CSRF token).
    static let signInForm = "deskready_signin"
    /// Binds an OpenID Connect sign-in in progress to the browser that started it.
    static let oidcLogin = "deskready_oidc"

    /// 256 random bits, base64url.
    static func randomValue() -> String { TokenCodec.newToken(prefix: "") }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ value: String) -> Data { TokenCodec.hash(value) }

    /// A cookie value this front could have set: short, base64url only.
    static func value(_ request: Request, _ name: String) -> String? {
        guard let value = request.cookies[name]?.value, (16...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { return nil }
        return value
    }

    static func make(_ name: String, _ value: String, maxAge: Int?, path: String = "/", secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func expired(_ name: String, path: String = "/", secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Compares two secrets in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }
}
