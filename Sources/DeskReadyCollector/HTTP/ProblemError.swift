import DeskReadyModel
import Foundation
import Hummingbird

/// An error answered as `application/problem+json` (RFC 9457), naming what is wrong and how to fix it.
public struct ProblemError: Error, HTTPResponseError, CustomStringConvertible {
    public var problem: ProblemDetails
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, title: String, detail: String, errors: [FieldProblem]? = nil, headers: HTTPFields = [:]) {
        problem = ProblemDetails(title: title, status: status.code, detail: detail, errors: errors)
        self.headers = headers
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: problem.status) }
    public var description: String { "\(problem.status) \(problem.title): \(problem.detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = self.headers
        headers[.contentType] = ProblemDetails.mediaType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(problem))))
    }

    /// The problem for one of Hummingbird's own errors (unknown route, body too large, wrong method).
    static func from(_ error: any HTTPResponseError) -> ProblemError {
        switch error.status {
        case .notFound:
            return ProblemError(.notFound, title: "Not Found", detail: "no such endpoint; see /openapi.yaml for the collector's API")
        case .contentTooLarge:
            return ProblemError(.contentTooLarge, title: "Content Too Large", detail: "the request body is larger than this collector accepts; send smaller batches")
        case .methodNotAllowed:
            return ProblemError(.methodNotAllowed, title: "Method Not Allowed", detail: "this endpoint does not take that method; see /openapi.yaml")
        default:
            return ProblemError(error.status, title: error.status.reasonPhrase, detail: "\(error)")
        }
    }
}

/// Turns every error into a problem document, so clients see one error format.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemError {
            throw problem
        } catch let error as any HTTPResponseError {
            throw ProblemError.from(error)
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw ProblemError(.internalServerError, title: "Internal Server Error",
                               detail: "the collector failed to handle the request; it is logged on the server. Retry later.")
        }
    }
}
