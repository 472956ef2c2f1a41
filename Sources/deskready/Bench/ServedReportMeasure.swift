import ArgumentParser
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation

/// The collector serving reports at national size: a `deskready serve` on the benchmark's store, the maturity
/// toolkit's pulls (`GET /v1/indicators`) and a CIO's report with peers over HTTP, round after round, with the
/// collector's resident memory sampled every 50 ms: the first pull grades every trust, the later ones take the kept
/// grades, and memory should stay where the first left it.
struct ServedReportMeasure {
    let db: String
    let trust: String
    let rounds: Int

    struct Results: Encodable {
        var firstFHIRSeconds: Double
        var fhirSeconds: Double
        var jsonSeconds: Double
        var oneTrustSeconds: Double
        var fhirBytes: Int
        var residentKBAtStart: Int
        var residentKBAfterFirstPull: Int
        var residentKBAfterEachRound: [Int]
        var peakResidentKB: Int
    }

    func run() async throws -> Results {
        let token = try await SQLiteMeasurementStore(path: db).issueToken(role: .toolkit, trust: nil, label: "bench toolkit", expiresMs: nil).token
        let admin = try await SQLiteMeasurementStore(path: db).issueToken(role: .admin, trust: nil, label: "bench admin", expiresMs: nil).token
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-bench-serve-\(UUID().uuidString.prefix(8)).yaml").path
        // Room for the first pull, which grades every trust.
        try "report_time_limit_seconds: 900\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--config", config, "--db", db, "--listen", "127.0.0.1:\(port)", "--log-level", "error"]
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        try await waitForCollector(base, attempts: 400)
        let pid = server.processIdentifier
        let sampler = PeakSampler(pid: pid)
        func resident() -> Int { ProcessSampler.sample(pid: pid)?.residentKB ?? 0 }
        // curl(1) rather than the agent's transport, which caps what it reads: the export is tens of megabytes.
        func get(_ path: String, _ token: String) async throws -> (seconds: Double, bytes: Int) {
            let started = ContinuousClock.now
            let output = try await runOnThread { () throws -> String in
                let curl = Process()
                curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                curl.arguments = ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "Authorization: Bearer \(token)", base + path]
                let pipe = Pipe()
                curl.standardOutput = pipe
                try curl.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                curl.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
            let fields = output.split(separator: " ")
            guard fields.first == "200", fields.count == 2, let bytes = Int(fields[1]) else {
                throw ValidationError("\(path) answered \(output)")
            }
            return ((ContinuousClock.now - started).seconds, bytes)
        }
        let atStart = resident()
        let first = try await get("/v1/indicators?format=fhir", token)
        let afterFirst = resident()
        print(String(format: "served: first national FHIR pull %.2f s (%.1f MB); collector %d MB before, %d MB after",
                     first.seconds, Double(first.bytes) / 1e6, atStart / 1024, afterFirst / 1024))
        var fhir: [Double] = [], json: [Double] = [], one: [Double] = [], memory: [Int] = []
        for round in 1...max(self.rounds, 1) {
            fhir.append(try await get("/v1/indicators?format=fhir", token).seconds)
            json.append(try await get("/v1/indicators?format=json", token).seconds)
            one.append(try await get("/v1/trusts/\(trust)/report?format=json", admin).seconds)
            memory.append(resident())
            print(String(format: "served: round %d: FHIR %.2f s, JSON %.2f s, one trust with peers %.3f s; collector %d MB",
                         round, fhir.last ?? 0, json.last ?? 0, one.last ?? 0, (memory.last ?? 0) / 1024))
        }
        let peak = sampler.stop()
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Results(firstFHIRSeconds: first.seconds, fhirSeconds: median(fhir), jsonSeconds: median(json), oneTrustSeconds: median(one),
                       fhirBytes: first.bytes, residentKBAtStart: atStart, residentKBAfterFirstPull: afterFirst, residentKBAfterEachRound: memory,
                       peakResidentKB: peak.residentKB)
    }
}
