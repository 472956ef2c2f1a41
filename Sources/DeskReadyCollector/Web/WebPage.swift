import Hummingbird

/// The frame of every web page: skip link, header with who is signed in and the sign-out form, one `main`, and the
/// headers that keep the pages to themselves (a strict Content-Security-Policy: nothing from the network, no scripts,
/// no inline styles).
enum WebPage {
    static let securityHeaders: HTTPFields = {
        var fields: HTTPFields = [
            .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-store",
        ]
        for (name, value) in [("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer"), ("Cross-Origin-Opener-Policy", "same-origin")] {
            if let name = HTTPFields.Element.Name(name) { fields[name] = value }
        }
        return fields
    }()

    /// A whole page around `body` (already escaped HTML).
    static func html(title: String, user: WebUser?, body: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) – DeskReady</title>
            <link rel="stylesheet" href="/web/style.css">
            </head>
            <body>
            <a class="skip" href="#content">Skip to content</a>
            <header class="site">
            <p class="brand"><a href="/">DeskReady</a> <span>how long staff wait for their computers</span></p>

            """
        if let user {
            out += """
                <form class="signout" method="post" action="/web/sign-out">
                <p>Signed in as <strong>\(escape(user.session.user))</strong>
                <input type="hidden" name="csrf" value="\(escape(user.session.csrfToken))">
                <button type="submit">Sign out</button></p>
                </form>

                """
        }
        out += "</header>\n<main id=\"content\">\n" + body + "</main>\n</body>\n</html>\n"
        return out
    }

    static func response(_ status: HTTPResponse.Status = .ok, title: String, user: WebUser?, body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html(title: title, user: user, body: body))))
    }

    static func errorPage(_ error: WebError, user: WebUser?) -> Response {
        var body = "<h1>\(escape(error.title))</h1>\n<p class=\"problem\">\(escape(error.message))</p>\n"
        body += user == nil ? "<p><a href=\"/web/sign-in\">Sign in</a></p>\n" : "<p><a href=\"/\">Back to your trusts</a></p>\n"
        return response(error.status, title: error.title, user: user, body: body)
    }

    /// A 303 to `location` (after a form, or to the sign-in page).
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func escape(_ text: String) -> String { HTMLEscape.text(text) }

    /// A query string value, percent-encoded.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// The web front's own styles, served at `/web/style.css` after the report's.
    static let css = """
        .skip { position: absolute; left: -10000px; top: 0; }
        .skip:focus { left: 8px; top: 8px; background: #fff; color: #003087; padding: 8px 12px; z-index: 10; outline: 3px solid #ffb81c; }
        header.site { background: #005eb8; color: #fff; padding: 10px 20px; display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 8px; }
        header.site a { color: #fff; }
        header.site .brand { margin: 0; font-size: 18px; } header.site .brand a { font-weight: 700; text-decoration: none; }
        header.site .brand span { font-size: 14px; margin-left: 8px; }
        header.site form p { margin: 0; }
        a { color: #005eb8; } a:visited { color: #330072; }
        a:focus, button:focus, input:focus, select:focus, summary:focus { outline: 3px solid #ffb81c; outline-offset: 2px; box-shadow: 0 0 0 6px #212b32; }
        button, .button { display: inline-block; font: inherit; font-weight: 600; padding: 8px 16px; border-radius: 4px; border: 2px solid #00401e; background: #007f3b; color: #fff; cursor: pointer; text-decoration: none; }
        a.button:visited { color: #fff; }
        header.site button { background: #fff; color: #003087; border-color: #fff; padding: 4px 12px; margin-left: 8px; }
        form.picker { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-end; background: #fff; border: 1px solid #d8dde0; border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
        form.picker div, form.token div { display: flex; flex-direction: column; gap: 4px; }
        label { font-weight: 600; }
        input, select { font: inherit; padding: 6px 8px; border: 2px solid #4c6272; border-radius: 4px; background: #fff; color: #212b32; }
        .hint { font-size: 13px; color: #4c6272; }
        .problem { border-left: 6px solid #b3261e; background: #fff; padding: 10px 14px; }
        .notice { border-left: 6px solid #005eb8; background: #fff; padding: 10px 14px; }
        ul.downloads, ul.sitelist { display: flex; flex-wrap: wrap; gap: 8px 20px; padding-left: 20px; }
        table.trusts td, table.trusts th { padding: 10px 8px; }
        section.signin { background: #fff; border: 1px solid #d8dde0; border-radius: 8px; padding: 18px 22px; margin: 18px 0; max-width: 640px; }
        """
}
