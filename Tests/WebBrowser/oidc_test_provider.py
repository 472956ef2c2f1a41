"""A small OpenID Connect provider for the web front's browser test, on loopback only.

It does what a real provider does for the authorization code flow: a discovery document, a JWKS, an authorization
endpoint that signs the configured person in at once, and a token endpoint that checks the client secret (HTTP
Basic), the code (once only), the redirect URI and the PKCE verifier (S256) before it issues an RS256 ID token with
the nonce it was sent. The test can also tell it to rotate its signing key, or to issue a token that a collector must
refuse: expired, for another audience, with another nonce, from another issuer, or signed with a key it does not
publish. oidc-provider-mock (PyPI) was the first choice, but it neither checks PKCE nor rotates keys, and cannot be
made to issue bad tokens, so the test carries this provider (joserfc for the JOSE parts).
"""
import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider:
    def __init__(self, client_id: str, client_secret: str, redirect_uri: str):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.lock = threading.Lock()
        self.generation = 1
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.user = {"sub": "alice-sub", "email": "alice@northshire.nhs.uk", "groups": []}
        self.mode = "normal"
        self.codes = {}
        self.jwks_fetches = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def rotate(self):
        with self.lock:
            self.generation += 1
            self.key = RSAKey.generate_key(2048, parameters={"kid": f"key-{self.generation}", "use": "sig"})

    def stop(self):
        self.server.shutdown()

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": self.user["sub"], "email": self.user["email"],
                  "groups": self.user["groups"], "iat": now, "exp": now + 300, "nonce": nonce}
        key = self.key
        if self.mode == "expired":
            claims.update(iat=now - 4000, exp=now - 3600)
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-application"
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-that-was-sent"
        elif self.mode == "wrong_issuer":
            claims["iss"] = "http://127.0.0.1:1/elsewhere"
        elif self.mode == "bad_signature":
            # Same kid as the published key, another private key: the signature cannot verify.
            key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid, "use": "sig"})
        return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self._json(200, {
                        "issuer": provider.issuer, "authorization_endpoint": provider.issuer + "/authorize",
                        "token_endpoint": provider.issuer + "/token", "jwks_uri": provider.issuer + "/jwks",
                        "response_types_supported": ["code"], "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                    })
                if url.path == "/jwks":
                    with provider.lock:
                        provider.jwks_fetches += 1
                        key = provider.key.as_dict(private=False)
                    return self._json(200, {"keys": [key]})
                if url.path == "/authorize":
                    problems = []
                    if query.get("client_id") != provider.client_id:
                        problems.append("unknown client_id")
                    if query.get("redirect_uri") != provider.redirect_uri:
                        problems.append("redirect_uri not registered")
                    if query.get("response_type") != "code":
                        problems.append("response_type must be code")
                    if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
                        problems.append("PKCE (S256) is required")
                    if not query.get("nonce") or not query.get("state"):
                        problems.append("state and nonce are required")
                    if "openid" not in query.get("scope", "").split():
                        problems.append("scope must include openid")
                    if problems:
                        return self._json(400, {"error": "invalid_request", "error_description": "; ".join(problems)})
                    code = secrets.token_urlsafe(24)
                    with provider.lock:
                        provider.codes[code] = {"challenge": query["code_challenge"], "nonce": query["nonce"], "redirect_uri": query["redirect_uri"]}
                    location = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                expected = "Basic " + base64.b64encode(
                    f"{urllib.parse.quote(provider.client_id, safe='')}:{urllib.parse.quote(provider.client_secret, safe='')}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._json(401, {"error": "invalid_client", "error_description": "client authentication failed"})
                with provider.lock:
                    grant = provider.codes.pop(form.get("code", ""), None)
                if form.get("grant_type") != "authorization_code" or grant is None:
                    return self._json(400, {"error": "invalid_grant", "error_description": "unknown or used code"})
                if form.get("redirect_uri") != grant["redirect_uri"]:
                    return self._json(400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
                verifier = form.get("code_verifier", "")
                if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
                    return self._json(400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"})
                return self._json(200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                                        "id_token": provider._id_token(grant["nonce"])})

        return Handler
