import Hummingbird

/// A failure of a web page, shown to the person as a page that says what is wrong and what to do.
public struct WebError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var title: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ title: String, _ message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    public var description: String { "\(status.code) \(title): \(message)" }
}

/// Renders every error of the web routes as an HTML page (never problem+json, never a stack trace), and adds the
/// security headers to every web response.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as WebError {
            response = WebPage.errorPage(error, user: context.webUser)
        } catch let error as any HTTPResponseError {
            let status = error.status
            response = WebPage.errorPage(WebError(status, status.reasonPhrase, status == .contentTooLarge
                ? "The form sent was larger than this collector accepts." : "The request could not be handled (\(status.code))."), user: context.webUser)
        } catch {
            context.logger.error("web page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            response = WebPage.errorPage(WebError(.internalServerError, "Something went wrong",
                "The collector could not prepare this page; the error is in its log. Try again in a minute."), user: context.webUser)
        }
        for field in WebPage.securityHeaders where response.headers[field.name] == nil {
            response.headers[field.name] = field.value
        }
        return response
    }
}
