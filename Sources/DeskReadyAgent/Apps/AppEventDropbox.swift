import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// `app_start` events measured by processes that may not write the spool (the launcher runs as the user), left as
/// small JSON files in the marks drop folder for the daemon to commit. Only `app_start` events of configured
/// applications with plausible values are taken; anything else found there is removed.
public struct AppEventDropbox: Sendable {
    public static let suffix = ".appstart"
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Leaves an event (written to a temporary name, then renamed, so the daemon never reads half of one).
    public func drop(_ event: MeasurementEvent) throws {
        let json = Array(try WireCoding.encoder().encode(event))
        let base = "\(path)/\(event.startedAtMs)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let temporary = base + ".tmp"
        guard let file = fopen(temporary, "w") else {
            throw SpoolError("cannot leave the application start in \(path): \(String(cString: strerror(errno))). install.sh creates it with mode 1733 so every user can leave measurements there.")
        }
        let written = fwrite(json, 1, json.count, file) == json.count
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written, flushed, rename(temporary, base + Self.suffix) == 0 else {
            unlink(temporary)
            throw SpoolError("cannot leave the application start in \(path): \(String(cString: strerror(errno))); is the disk full?")
        }
    }

    /// Commits every dropped event of a configured application to the spool; returns how many were taken.
    @discardableResult
    public func collect(into spool: Spool, apps: [AppDefinition], nowMs: Int64, log: (String) -> Void = { _ in }) throws -> Int {
        guard let directory = opendir(path) else { return 0 }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(Self.suffix) { names.append(name) }
        }
        closedir(directory)
        let decoder = WireCoding.decoder()
        let known = Set(apps.map(\.name))
        var taken = 0
        for name in names.sorted() {
            let file = "\(path)/\(name)"
            var info = stat()
            guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 16_384,
                  let text = FileText.read(file),
                  let dropped = try? decoder.decode(MeasurementEvent.self, from: Data(text.utf8)),
                  // Whoever left the file named the user; it is not trusted, and never sent.
                  case let event = Self.withoutUser(dropped),
                  Self.problem(event, known: known, nowMs: nowMs) == nil
            else {
                log("removed an application start that cannot be used: \(file)")
                unlink(file)
                continue
            }
            try spool.append(event)
            unlink(file)
            taken += 1
        }
        return taken
    }

    static func withoutUser(_ event: MeasurementEvent) -> MeasurementEvent {
        var event = event
        event.user = nil
        return event
    }

    /// Why a dropped event is refused, or nil when it is a plausible start of a configured application.
    static func problem(_ event: MeasurementEvent, known: Set<String>, nowMs: Int64) -> String? {
        if event.kind != .appStart { return "not an application start" }
        if !known.contains(event.name) { return "application \(event.name) is not configured" }
        if let problem = BatchValidator().eventProblem(event, nowMs: nowMs) { return problem }
        return nil
    }
}
