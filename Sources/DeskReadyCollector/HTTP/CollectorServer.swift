import DeskReadyModel
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL

/// Builds the collector's HTTP application around a store.
public enum CollectorServer {
    /// The router with every endpoint and the problem+json error middleware.
    public static func router(
        store: any CollectorStore, configuration: CollectorConfiguration, metrics: CollectorMetrics, reports: (any ReportRendering)? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        let gate = IngestGate(capacity: configuration.maxPendingBatches)
        let reader = RequestBodyReader(maxBodyBytes: configuration.maxBodyBytes, maxDecompressedBytes: configuration.maxDecompressedBytes)
        let ingestion = BatchIngestion(limits: configuration.limits)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let authenticator = Authenticator(store: store)
        let decoder = JSONDecoder()

        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            guard await store.isWritable() else {
                throw ProblemError(.serviceUnavailable, title: "Not ready", detail: "the database is not writable; check the disk and the file's permissions")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ready"}"#)))
        }
        router.get("/metrics") { _, _ in
            metrics.writeQueueDepth.set(Double(gate.depth))
            if let size = await store.databaseBytes() { metrics.databaseBytes.set(Double(size)) }
            if let sqlite = store as? SQLiteMeasurementStore {
                let counts = sqlite.groupCommitCounts
                metrics.writeTransactions.set(Double(counts.transactions))
                metrics.writeBatches.set(Double(counts.batches))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        if let reports {
            router.get("/v1/trusts/:ods/report") { request, context in
                let credential = try await authenticator.require(request, context: context, roles: [.reader, .admin])
                let ods = try context.parameters.require("ods")
                guard ODSCode.isValidTrust(ods) else {
                    throw ProblemError(.badRequest, title: "Invalid trust", detail: "'\(ods)' is not a trust ODS code (3 to 5 upper-case letters or digits)",
                                       errors: [FieldProblem(pointer: "ods", problem: "must be a trust ODS code")])
                }
                guard credential.role == .admin || credential.trust == ods else {
                    authenticator.log(context, request, "reader of another trust asked for \(ods)", credential: credential)
                    throw ProblemError(.forbidden, title: "Forbidden", detail: "this reader token is for trust \(credential.trust ?? "?"); it may not read trust \(ods)")
                }
                let format = request.uri.queryParameters.get("format") ?? "json"
                guard reports.formats.contains(format) else {
                    throw ProblemError(.badRequest, title: "Unknown format", detail: "format '\(format)' is not one of \(reports.formats.joined(separator: ", "))",
                                       errors: [FieldProblem(pointer: "format", problem: "must be one of \(reports.formats.joined(separator: ", "))")])
                }
                func day(_ name: String) throws -> Int64? {
                    guard let text = request.uri.queryParameters.get(name) else { return nil }
                    guard let ms = CivilDay.parse(text) else {
                        throw ProblemError(.badRequest, title: "Invalid date", detail: "\(name) '\(text)' is not a date; use YYYY-MM-DD",
                                           errors: [FieldProblem(pointer: name, problem: "must be YYYY-MM-DD")])
                    }
                    return ms
                }
                let from = try day("from")
                let to = try day("to")
                if let from, let to, from >= to {
                    throw ProblemError(.badRequest, title: "Invalid period", detail: "from must be before to")
                }
                guard try await store.trusts().contains(where: { $0.ods == ods }) else {
                    throw ProblemError(.notFound, title: "Not Found", detail: "trust \(ods) is not set up on this collector")
                }
                let baseline = request.uri.queryParameters.get("baseline").map { String($0) }
                if let baseline {
                    guard StoredBaseline.isValidName(baseline) else {
                        throw ProblemError(.badRequest, title: "Invalid baseline name", detail: "'\(baseline)' is not a baseline name (1 to 64 letters, digits, '-', '_' or '.')",
                                           errors: [FieldProblem(pointer: "baseline", problem: "must be a baseline name")])
                    }
                    let names = try await store.baselines(trust: ods).map(\.name)
                    guard names.contains(baseline) else {
                        let known = names.isEmpty ? "it has none" : "it has: \(names.joined(separator: ", "))"
                        throw ProblemError(.notFound, title: "Not Found", detail: "trust \(ods) has no baseline named '\(baseline)'; \(known)")
                    }
                }
                let rendered = try await reports.render(trust: ods, format: format, fromMs: from, toMs: to, baseline: baseline)
                return Response(status: .ok, headers: [.contentType: rendered.contentType], body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
            }
        }
        router.post("/v1/enrol") { request, context in
            let credential = try await authenticator.require(request, context: context, roles: [.enrolment])
            let body = try await reader.read(request)
            let enrolment: EnrolmentRequest
            do {
                enrolment = try decoder.decode(EnrolmentRequest.self, from: body)
            } catch {
                let field = WireCoding.fieldProblem(for: error)
                throw ProblemError(.badRequest, title: "Invalid enrolment",
                                   detail: field.pointer.isEmpty ? field.problem : "\(field.pointer) \(field.problem)", errors: [field])
            }
            let trust = credential.trust ?? ""
            var problems: [FieldProblem] = []
            if !DeviceIdentity.isValidID(enrolment.deviceId) {
                problems.append(.init(pointer: "/device_id", problem: "must be 1 to 64 letters, digits, '.', '_', '-' or ':'"))
            }
            if !ODSCode.isValidSite(enrolment.site, trust: trust) {
                problems.append(.init(pointer: "/site", problem: "must be a site ODS code beginning with this token's trust \(trust)"))
            }
            guard problems.isEmpty else {
                throw ProblemError(.badRequest, title: "Invalid enrolment", detail: problems.map { "\($0.pointer) \($0.problem)" }.joined(separator: "; "), errors: problems)
            }
            let issued = try await store.enrolDevice(trust: trust, deviceId: enrolment.deviceId, site: enrolment.site, nowMs: WallClock.nowMs())
            context.logger.info("device enrolled", metadata: ["trust": "\(trust)", "device": "\(enrolment.deviceId)", "enrolment_token_id": "\(credential.id)"])
            let answer = EnrolmentResponse(deviceId: enrolment.deviceId, trust: trust, site: enrolment.site, deviceToken: issued.token)
            return Response(status: .created, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(answer))))
        }
        router.post("/v1/batches") { request, context in
            let credential = try await authenticator.require(request, context: context, roles: [.device])
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            guard contentType.hasPrefix("application/json") else {
                throw ProblemError(.unsupportedMediaType, title: "Unsupported Media Type",
                                   detail: "send the batch as Content-Type: application/json (optionally with Content-Encoding: gzip)")
            }
            let started = ContinuousClock.now
            guard gate.enter() else {
                context.logger.warning("write queue full: answering 503", metadata: ["capacity": "\(gate.capacity)"])
                throw ProblemError(.serviceUnavailable, title: "Busy",
                                   detail: "the collector's write queue is full; retry after \(configuration.retryAfterSeconds) s. Nothing was stored.",
                                   headers: [.retryAfter: String(configuration.retryAfterSeconds)])
            }
            defer { gate.leave() }
            let body = try await reader.read(request)
            let validated = try ingestion.validate(body, nowMs: WallClock.nowMs())
            let device = validated.batch.device
            guard device.trust == credential.trust, device.id == credential.deviceId else {
                authenticator.log(context, request, "batch names device \(device.id) of trust \(device.trust)", credential: credential)
                throw ProblemError(.forbidden, title: "Forbidden",
                                   detail: "this device token belongs to device \(credential.deviceId ?? "?") of trust \(credential.trust ?? "?"); it may not write batches for device \(device.id) of trust \(device.trust). Nothing was stored.")
            }
            let acknowledgement = try await store.ingest(validated)
            metrics.recordBatch(accepted: acknowledgement.accepted, duplicates: acknowledgement.duplicates,
                                rejected: acknowledgement.rejected.count, duration: ContinuousClock.now - started)
            context.logger.debug("batch stored", metadata: [
                "trust": "\(validated.batch.device.trust)", "accepted": "\(acknowledgement.accepted)",
                "duplicates": "\(acknowledgement.duplicates)", "rejected": "\(acknowledgement.rejected.count)",
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(acknowledgement))))
        }
        return router
    }

    /// The application, ready to `runService()`. `onRunning` receives the bound port (useful with port 0).
    public static func application(
        store: any CollectorStore, configuration: CollectorConfiguration, logger: Logger,
        metrics: CollectorMetrics = CollectorMetrics(),
        reports: (any ReportRendering)? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: router(store: store, configuration: configuration, metrics: metrics, reports: reports),
            server: try server(configuration.tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "deskready"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Plain HTTP/1.1, or HTTPS when TLS files are given.
    static func server(_ tls: TLSFiles?) throws -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainPath)
        } catch {
            throw StoreError("cannot read the TLS certificate chain at \(tls.certificateChainPath): \(error). Pass a PEM file with --tls-cert.")
        }
        do {
            key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
        } catch {
            throw StoreError("cannot read the TLS private key at \(tls.privateKeyPath): \(error). Pass an unencrypted PEM key with --tls-key.")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(.http1(), tlsConfiguration: configuration)
    }
}
