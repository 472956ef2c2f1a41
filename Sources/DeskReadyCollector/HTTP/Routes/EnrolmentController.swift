import DeskReadyModel
import Foundation
import Hummingbird

/// `POST /v1/enrol`: an enrolment token registers a device of its trust and gets the device its own token.
struct EnrolmentController {
    let store: any CollectorStore
    let reader: RequestBodyReader
    let audit: AuditLog

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        router.group().add(middleware: BearerAuthMiddleware(store: store, roles: [.enrolment]))
            .post("/v1/enrol", use: enrol)
    }

    @Sendable func enrol(_ request: Request, context: CollectorRequestContext) async throws -> EditedResponse<EnrolmentResponse> {
        let credential = try context.requireCredential()
        let body = try await reader.read(request)
        let enrolment: EnrolmentRequest
        do {
            enrolment = try JSONDecoder().decode(EnrolmentRequest.self, from: body)
        } catch {
            let field = WireCoding.fieldProblem(for: error)
            throw ProblemError(.badRequest, title: "Invalid enrolment",
                               detail: field.pointer.isEmpty ? field.problem : "\(field.pointer) \(field.problem)", errors: [field])
        }
        let trust = credential.trust ?? ""
        let problems = enrolment.problems(trust: trust)
        guard problems.isEmpty else {
            throw ProblemError(.badRequest, title: "Invalid enrolment", detail: problems.map { "\($0.pointer) \($0.problem)" }.joined(separator: "; "), errors: problems)
        }
        let issued: IssuedToken
        do {
            issued = try await store.enrolDevice(trust: trust, deviceId: enrolment.deviceId, site: enrolment.site,
                                                 installKey: enrolment.installKey, nowMs: WallClock.nowMs())
        } catch let error as IdentityError {
            AccessLog.refused(context, request, "enrolment of \(enrolment.deviceId) refused: \(error)", credential: credential)
            switch error {
            case .deviceClaimed: throw ProblemError(.conflict, title: "Device id in use", detail: error.description)
            case .deviceRevoked: throw ProblemError(.forbidden, title: "Device revoked", detail: error.description)
            default: throw ProblemError(.badRequest, title: "Enrolment refused", detail: error.description)
            }
        }
        audit.record("device.enrol", actor: credential.auditName, trust: trust, details: ["device": enrolment.deviceId, "site": enrolment.site])
        let answer = EnrolmentResponse(deviceId: enrolment.deviceId, trust: trust, site: enrolment.site, deviceToken: issued.token)
        return EditedResponse(status: .created, response: answer)
    }
}

extension EnrolmentResponse: ResponseEncodable {}

extension EnrolmentRequest {
    /// What is wrong with the request for an enrolment token of `trust`, field by field.
    func problems(trust: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !DeviceIdentity.isValidID(deviceId) {
            problems.append(.init(pointer: "/device_id", problem: "must be 1 to 64 letters, digits, '.', '_', '-' or ':'"))
        }
        if !ODSCode.isValidSite(site, trust: trust) {
            problems.append(.init(pointer: "/site", problem: "must be a site ODS code beginning with this token's trust \(trust)"))
        }
        if let installKey, !(16...128).contains(installKey.utf8.count) || !StorableText.isClean(installKey) {
            problems.append(.init(pointer: "/install_key", problem: "must be 16 to 128 printable characters (the agent makes it once per machine)"))
        }
        return problems
    }
}
