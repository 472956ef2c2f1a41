import Hummingbird

/// Counts every request by route (the matched pattern, never the raw path), method and status.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: route(context), method: request.method.rawValue, status: response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            metrics.recordRequest(route: route(context), method: request.method.rawValue, status: error.status.code)
            throw error
        } catch {
            metrics.recordRequest(route: route(context), method: request.method.rawValue, status: 500)
            throw error
        }
    }

    private func route(_ context: Context) -> String {
        context.endpointPath ?? "unmatched"
    }
}
