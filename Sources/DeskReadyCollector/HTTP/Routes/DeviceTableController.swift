import DeskReadyModel
import Hummingbird

/// `GET /v1/trusts/{ods}/devices`: a trust's device table for IT ops (admin tokens only), as JSON or CSV, filtered
/// to silent devices, hard disks or unsupported OS; bounded like reports, with an audit line for every read.
struct DeviceTableController {
    let store: any CollectorStore
    let devices: any DeviceTableRendering
    let limiter: ReportLimiter
    let audit: AuditLog
    let retryAfterSeconds: Int

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        router.group().add(middleware: BearerAuthMiddleware(store: store, roles: [.admin]))
            .get("/v1/trusts/:ods/devices", use: table)
    }

    @Sendable func table(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let (ods, credential) = try await context.requireTrust(request, store: store)
        let query = try Self.query(ods, request.uri.queryParameters, firstDataDayMs: try await store.firstDataDayMs(trust: ods))
        audit.record("devices.read", actor: credential.auditName, trust: ods, details: [
            "format": query.format, "from": CivilDay.format(query.fromMs), "to": CivilDay.format(query.toMs),
        ])
        let devices = self.devices
        let rendered = try await limiter.render(trust: ods, retryAfterSeconds: retryAfterSeconds, context: context) { try await devices.renderDevices(query) }
        return Response(status: .ok, headers: [.contentType: rendered.contentType], body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
    }

    /// The checked query, or a 400 naming the parameter and how to fix it.
    static func query(_ ods: String, _ parameters: Parameters, firstDataDayMs: Int64?) throws -> DeviceTableQuery {
        func refuse(_ field: String, _ message: String) -> ProblemError {
            ProblemError(.badRequest, title: "Invalid device table query", detail: message, errors: [FieldProblem(pointer: field, problem: message)])
        }
        func flag(_ name: String) throws -> Bool {
            switch parameters.get(name) {
            case nil, "false": return false
            case "true": return true
            case let other?: throw refuse(name, "\(name) must be true or false, not '\(ReportQuery.printable(other))'")
            }
        }
        let period: ReportPeriod
        do {
            period = try ReportPeriod.parse(from: parameters.get("from"), to: parameters.get("to"),
                                            rules: ReportQuery.Rules(formats: DeviceTableQuery.formats, firstDataDayMs: firstDataDayMs), nowMs: WallClock.nowMs())
        } catch {
            throw refuse(error.field, error.message)
        }
        let format = parameters.get("format") ?? "json"
        guard DeviceTableQuery.formats.contains(format) else {
            throw refuse("format", "'\(ReportQuery.printable(format))' is not a device table format; use json or csv")
        }
        var silentDays: Int?
        if let text = parameters.get("silent_days") {
            guard let days = Int(text), (1...400).contains(days) else {
                throw refuse("silent_days", "silent_days must be a whole number of days from 1 to 400, not '\(ReportQuery.printable(text))'")
            }
            silentDays = days
        }
        return DeviceTableQuery(trust: ods, fromMs: period.fromMs, toMs: period.toMs, format: format, silentDays: silentDays,
                                hardDisks: try flag("hard_disks"), unsupportedOS: try flag("unsupported_os"))
    }
}
