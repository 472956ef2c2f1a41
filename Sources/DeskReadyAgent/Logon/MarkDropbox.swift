import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// A folder where processes that may not touch the spool (the desktop autostart runs as the logged-on user) leave
/// marks as small files. The daemon picks them up, takes the user from the file's owner — so nobody can mark for
/// someone else — pseudonymises it, notes the user's uid and home folder's creation time as local facts (for the
/// session's CPU and `first_logon`), and commits the mark to the spool.
public struct MarkDropbox: Sendable {
    public static let defaultPath = "/var/lib/deskready-marks"
    public let path: String

    public init(path: String = MarkDropbox.defaultPath) {
        self.path = path
    }

    /// Leaves a mark as a file (written to a temporary name, then renamed, so the daemon never reads half a mark).
    public func drop(_ mark: LogonMark) throws {
        var text = "name=\(mark.name)\nwall_ms=\(mark.wallMs)\nmono_ms=\(mark.monotonicMs)\nboot_id=\(mark.bootId)\n"
        if let session = mark.session { text += "session=\(session)\n" }
        if let type = mark.sessionType { text += "type=\(type)\n" }
        let base = "\(path)/\(mark.wallMs)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let temporary = base + ".tmp"
        guard let file = fopen(temporary, "w") else {
            throw SpoolError("cannot leave a mark in \(path): \(String(cString: strerror(errno))). install.sh creates it with mode 1733 so every user can drop marks there.")
        }
        let written = text.withCString { fputs($0, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written >= 0, flushed, rename(temporary, base + ".mark") == 0 else {
            unlink(temporary)
            throw SpoolError("cannot leave a mark in \(path): \(String(cString: strerror(errno))); is the disk full?")
        }
    }

    /// Moves every dropped mark into the spool; returns how many were taken. Malformed files are removed.
    @discardableResult
    public func collect(into spool: Spool, pseudonymizer: Pseudonymizer?, log: (String) -> Void = { _ in }) throws -> Int {
        guard let directory = opendir(path) else { return 0 }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".mark") { names.append(name) }
        }
        var taken = 0
        for name in names.sorted() {
            let file = "\(path)/\(name)"
            var info = stat()
            guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 4096 else {
                unlink(file)
                continue
            }
            guard let text = FileText.read(file), var mark = Self.parse(text) else {
                log("removed a malformed mark file \(file)")
                unlink(file)
                continue
            }
            if let account = UserAccount.lookup(uid: info.st_uid) {
                if let pseudonymizer { mark.user = pseudonymizer.pseudonym(for: account.name) }
                mark.attributes.merge(account.localFacts) { _, fact in fact }
            }
            try spool.recordMark(mark)
            unlink(file)
            taken += 1
        }
        return taken
    }

    /// Parses a mark file's `key=value` lines.
    public static func parse(_ text: String) -> LogonMark? {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let name = fields["name"], LogonMark.Milestone(rawValue: name) != nil,
              let wall = fields["wall_ms"].flatMap({ Int64($0) }), let mono = fields["mono_ms"].flatMap({ Int64($0) }),
              let boot = fields["boot_id"]
        else { return nil }
        return LogonMark(name: name, session: fields["session"], user: nil, sessionType: fields["type"], wallMs: wall, monotonicMs: mono, bootId: boot)
    }
}
