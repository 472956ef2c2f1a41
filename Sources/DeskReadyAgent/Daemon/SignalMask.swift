#if canImport(Glibc)
import Glibc
#endif

/// A process started from a thread that blocks signals inherits that mask, and would then ignore SIGTERM from
/// systemd or an operator. The daemon clears it at start so it can always be stopped.
enum SignalMask {
    static func unblockTermination() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
