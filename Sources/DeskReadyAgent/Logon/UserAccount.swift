internal import CDeskReadySupport

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon learns about the user of a logon from the local account database: the name (to pseudonymise),
/// the uid (for the user's CPU cgroup) and when the home folder was created (the evidence of a first logon).
/// Read by the daemon only; `deskready-agent mark` never looks an account up, as a lookup may wait on the directory.
public struct UserAccount: Equatable, Sendable {
    public var name: String
    public var uid: UInt32
    public var home: String

    public init(name: String, uid: UInt32, home: String) {
        self.name = name
        self.uid = uid
        self.home = home
    }

    /// The account with this uid, or nil when there is none.
    public static func lookup(uid: UInt32) -> UserAccount? {
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &record, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return UserAccount(record)
    }

    /// The account of this name, or nil when there is none.
    public static func lookup(name: String) -> UserAccount? {
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &record, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return UserAccount(record)
    }

    private init?(_ record: passwd) {
        guard let name = record.pw_name else { return nil }
        self.name = String(cString: name)
        uid = record.pw_uid
        home = record.pw_dir.map { String(cString: $0) } ?? ""
    }

    /// When the home folder was created (wall-clock ms), or nil when the filesystem does not say (or it is missing).
    public var homeCreatedMs: Int64? {
        guard !home.isEmpty, home != "/" else { return nil }
        let ms = dr_birth_time_ms(home)
        return ms > 0 ? Int64(ms) : nil
    }

    /// The local facts a mark of this user's logon carries (`_uid`, `_home_created_ms`).
    public var localFacts: [String: String] {
        var facts = [LocalFact.uid: String(uid)]
        if let created = homeCreatedMs { facts[LocalFact.homeCreatedMs] = String(created) }
        return facts
    }
}
