#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock (UTC) and monotonic time in milliseconds, straight from `clock_gettime`.
public enum WallClock {
    /// Milliseconds since the Unix epoch, UTC.
    public static func nowMs() -> Int64 { read(CLOCK_REALTIME) }

    /// Milliseconds on a monotonic clock that includes suspend (`CLOCK_BOOTTIME` on Linux), shared by every process
    /// of one boot, so marks taken by different processes can be subtracted.
    public static func monotonicMs() -> Int64 {
        #if os(Linux)
        return read(CLOCK_BOOTTIME)
        #else
        return read(CLOCK_MONOTONIC)
        #endif
    }

    private static func read(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
