#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawnp` (searched on PATH, the caller's environment and standard streams), watched
/// without blocking until it exits.
public final class ChildProcess {
    public let pid: Int32
    /// How it ended, once it has: the exit status, or 128 + the signal that killed it.
    public private(set) var exitStatus: Int32?

    /// Starts `arguments[0]` with the rest as its arguments. With `ownProcessGroup` the program leads a new process
    /// group, which its children inherit: they can be told apart even after the program that started them exits.
    public init(_ arguments: [String], environment: [String: String]? = nil, ownProcessGroup: Bool = false) throws(SpawnError) {
        guard let program = arguments.first, !program.isEmpty else { throw SpawnError("no command to start") }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        // The application starts clean: no signal blocked or ignored (a launcher started by a service or a test
        // runner may have some), and none of the launcher's descriptors beyond the standard three.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        if ownProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Self.openDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { args in
            if let envp {
                return envp.withUnsafeBufferPointer { env in posix_spawnp(&pid, program, &actions, &attributes, args.baseAddress!, env.baseAddress!) }
            }
            return posix_spawnp(&pid, program, &actions, &attributes, args.baseAddress!, environ)
        }
        guard rc == 0 else { throw SpawnError("cannot start \(program): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// The descriptors open in this process (`/proc/self/fd`), less the one used to list them.
    static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var fds: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd != own { fds.append(fd) }
        }
        return fds
    }

    /// Whether it has exited; reaps it when it has.
    public func hasExited() -> Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        exitStatus = Self.decode(status)
        return true
    }

    /// Waits until it exits and returns its status.
    public func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let decoded = Self.decode(status)
        exitStatus = decoded
        return decoded
    }

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}

/// A program that could not be started.
public struct SpawnError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
