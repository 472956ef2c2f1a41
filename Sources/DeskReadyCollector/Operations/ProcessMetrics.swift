import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics Prometheus' client libraries export (CPU time, resident and virtual memory,
/// open and maximum file descriptors, start time), read from `/proc/self` at each scrape.
final class ProcessMetrics: Sendable {
    let cpuSeconds: Counter
    let residentBytes: Gauge
    let virtualBytes: Gauge
    let openFDs: Gauge
    let maxFDs: Gauge
    let startTime: Gauge
    private let cpuCounted = Mutex<Double>(0)

    init(registry: PrometheusCollectorRegistry) {
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "process", metricName: metric, unitName: unit, helpText: help)
        }
        cpuSeconds = registry.makeCounter(descriptor: name("cpu_seconds", "total", "Total user and system CPU time spent in seconds."))
        residentBytes = registry.makeGauge(descriptor: name("resident_memory", "bytes", "Resident memory size in bytes."))
        virtualBytes = registry.makeGauge(descriptor: name("virtual_memory", "bytes", "Virtual memory size in bytes."))
        openFDs = registry.makeGauge(descriptor: name("open", "fds", "Number of open file descriptors."))
        maxFDs = registry.makeGauge(descriptor: name("max", "fds", "Maximum number of open file descriptors."))
        startTime = registry.makeGauge(descriptor: name("start_time", "seconds", "Start time of the process since the Unix epoch in seconds."))
    }

    /// Reads `/proc/self/stat`, `/proc/self/fd` and the file limit.
    func update() {
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let total = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            let delta = cpuCounted.withLock { counted in
                let delta = max(0, total - counted)
                counted = max(counted, total)
                return delta
            }
            if delta > 0 { cpuSeconds.increment(by: delta) }
        }
        if let stat = Self.read("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
            // Fields after the command name: state is field 3; starttime 22, vsize 23 and rss 24 (in pages).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let page = Double(sysconf(Int32(_SC_PAGESIZE)))
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            if fields.count > 21, let start = Double(fields[19]), let vsize = Double(fields[20]), let rss = Double(fields[21]) {
                virtualBytes.set(to: vsize)
                residentBytes.set(to: rss * page)
                if let boot = Self.bootTime() { startTime.set(to: boot + start / ticks) }
            }
        }
        if let directory = opendir("/proc/self/fd") {
            var count = 0
            while let entry = readdir(directory) {
                if entry.pointee.d_name.0 != 46 { count += 1 }  // not "." or ".."
            }
            closedir(directory)
            openFDs.set(to: Double(max(0, count - 1)))  // less the descriptor of the listing itself
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
    }

    private static func bootTime() -> Double? {
        guard let text = read("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).filter { $0 != " " })
        }
        return nil
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
