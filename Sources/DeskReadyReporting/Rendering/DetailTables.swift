/// The figures behind a trust's grades as plain tables (title, header, rows), so the terminal and the HTML report
/// show the same details: logons reported apart, applications, network targets, estate, slowest device models and
/// sites. Values under the minimum observations are already left out of the statistics and show as "-".
struct DetailTables {
    var trust: GradedTrust

    struct Table {
        var title: String
        var header: [String]
        /// Columns holding numbers (aligned right).
        var numeric: Set<Int>
        var rows: [[String]]
    }

    func tables() -> [Table] {
        [logonsApart(), applications(), probes(), estate(), slowestModels(), slowestSites()].compactMap { $0 }
    }

    private var statistics: TrustReport { trust.statistics }

    /// Milliseconds under a second, seconds above.
    static func seconds(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        return ms < 1000 ? "\(ms) ms" : ValueFormat.seconds(Double(ms) / 1000)
    }
    static func share(_ value: Double?) -> String { value.map { ValueFormat.percent($0 * 100) } ?? "-" }

    func logonsApart() -> Table? {
        guard statistics.logonsApart.contains(where: { $0.timing.count + $0.timing.failures > 0 }) else { return nil }
        let headline = statistics.logon.timing
        let rows = [["headline (ordinary logons)", "\(headline.count)", Self.seconds(headline.p50Ms), Self.seconds(headline.p90Ms)]]
            + statistics.logonsApart.map { cohort in
                [Self.cohortTitle(cohort.cohort), "\(cohort.timing.count)", Self.seconds(cohort.timing.p50Ms), Self.seconds(cohort.timing.p90Ms)]
            }
        return Table(title: "Logons reported apart (left out of the headline figures)", header: ["logons", "n", "p50", "p90"], numeric: [1, 2, 3], rows: rows)
    }

    static func cohortTitle(_ cohort: String) -> String {
        switch cohort {
        case "first": "first logon on the device"
        case "after_upgrade": "first logon after an OS or kernel upgrade"
        default: cohort
        }
    }

    func applications() -> Table? {
        guard !statistics.applications.isEmpty else { return nil }
        let rows = statistics.applications.map { app in
            [app.name, "\(app.timing.count)", Self.seconds(app.timing.p50Ms), Self.seconds(app.timing.p90Ms), Self.seconds(app.timing.p95Ms),
             "\(app.timing.failures)", Self.share(app.timing.failureShare)]
        }
        return Table(title: "Application starts", header: ["application", "n", "p50", "p90", "p95", "failed", "failed share"], numeric: [1, 2, 3, 4, 5, 6], rows: rows)
    }

    func probes() -> Table? {
        guard !statistics.probes.isEmpty else { return nil }
        let phases = ["dns", "connect", "tls", "ttfb"]
        let rows = statistics.probes.map { probe in
            [probe.name, "\(probe.timing.count + probe.timing.failures)"]
                + phases.map { phase in
                    guard let timing = probe.phases[phase] else { return "-" }
                    return "\(Self.seconds(timing.p50Ms)) / \(Self.seconds(timing.p95Ms))"
                }
                + [Self.share(probe.timing.failureShare)]
        }
        return Table(
            title: "Network targets (p50 / p95 of each phase)", header: ["target", "probes", "DNS", "connect", "TLS", "first byte", "failed"],
            numeric: [1, 2, 3, 4, 5, 6], rows: rows)
    }

    func estate() -> Table? {
        let estate = statistics.estate
        guard estate.devicesReporting > 0 else { return nil }
        let rows = [[
            "\(estate.devicesReporting)", "\(estate.devicesInventoried)", Self.share(estate.ssdShare), "\(estate.virtualDiskDevices ?? 0)",
            Self.share(estate.supportedOSShare),
            estate.medianMemoryMB.map { ValueFormat.oneDecimal(Double($0) / 1024) + " GiB" } ?? "-",
        ]]
        return Table(
            title: "Estate (devices reporting in the period, from their newest inventory; on SSD: of the physical disks, virtual disks left out)",
            header: ["reporting", "inventoried", "on SSD", "virtual disk", "supported OS", "median memory"], numeric: [0, 1, 2, 3, 4, 5], rows: rows)
    }

    func slowestModels() -> Table? {
        let models = statistics.slowestModels.prefix(5)
        guard !models.isEmpty else { return nil }
        let rows = models.map { model in
            [model.model, "\(model.logon.count)", Self.seconds(model.logon.p90Ms), "\(model.boot.count)", Self.seconds(model.boot.p90Ms)]
        }
        return Table(title: "Slowest device models (by logon p90)", header: ["model", "logons", "logon p90", "boots", "boot p90"], numeric: [1, 2, 3, 4], rows: rows)
    }

    func slowestSites() -> Table? {
        let sites = trust.sites.filter { $0.statistics.logon.timing.p90Ms != nil }
            .sorted { ($0.statistics.logon.timing.p90Ms ?? 0, $1.site ?? "") > ($1.statistics.logon.timing.p90Ms ?? 0, $0.site ?? "") }
            .prefix(5)
        guard sites.count > 1 else { return nil }
        let rows = sites.map { site in
            [site.label, "\(site.devicesReporting)", "\(site.statistics.logon.timing.count)", Self.seconds(site.statistics.logon.timing.p90Ms),
             Self.seconds(site.statistics.boot.p90Ms), site.overall.level.map(String.init) ?? "-"]
        }
        return Table(title: "Slowest sites (by logon p90)", header: ["site", "devices", "logons", "logon p90", "boot p90", "level"], numeric: [1, 2, 3, 4, 5], rows: rows)
    }
}
